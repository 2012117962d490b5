package io.storefleet.worker.export;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.scan.CosBackupMarker;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.MailStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which accounts an export holds: those of the chosen domains and classes of service, less the
 * accounts whose COS has backup disabled ({@code ${ZxBackup_Disabled}}), which the manual says an
 * export skips.
 *
 * @param domainsAsked the domains named, lower case and sorted, or {@code [all]}
 * @param cosesAsked the classes of service named, lower case and sorted, or {@code [all]}
 * @param skipItems whether only provisioning is exported
 */
record ExportSelection(List<String> domainsAsked, List<String> cosesAsked, boolean skipItems) {
  static final String ALL = "all";

  /** The selection a request asks for, checked against the store: unknown names are refused. */
  static ExportSelection of(List<String> domains, List<String> coses, boolean skipItems, MailStore store,
      String serverId) {
    List<String> d = normalize(domains);
    List<String> c = normalize(coses);
    if (!d.equals(List.of(ALL))) {
      Set<String> known = new TreeSet<>();
      store.domains().forEach(x -> known.add(x.name().toLowerCase(Locale.ROOT)));
      for (String name : d) {
        if (!known.contains(name)) {
          throw ErrorCode.NOT_FOUND.exception("doExport domains: domain " + name + " is not on server " + serverId
              + " (its domains: " + list(known) + "); check the name, or leave 'domains' out to export them all",
              serverId);
        }
      }
    }
    if (!c.equals(List.of(ALL))) {
      Set<String> known = new TreeSet<>();
      store.coses().forEach(x -> known.add(x.name().toLowerCase(Locale.ROOT)));
      for (String name : c) {
        if (!known.contains(name)) {
          throw ErrorCode.NOT_FOUND.exception("doExport cos: class of service " + name + " is not on server "
              + serverId + " (its classes of service: " + list(known) + "); check the name, or leave 'cos' out",
              serverId);
        }
      }
    }
    return new ExportSelection(d, c, skipItems);
  }

  private static List<String> normalize(List<String> given) {
    Set<String> out = new TreeSet<>();
    for (String g : given) {
      String v = g.trim().toLowerCase(Locale.ROOT);
      if (v.equals(ALL)) {
        return List.of(ALL);
      }
      if (!v.isEmpty()) {
        out.add(v);
      }
    }
    return out.isEmpty() ? List.of(ALL) : List.copyOf(out);
  }

  private static String list(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  boolean allDomains() {
    return domainsAsked.equals(List.of(ALL));
  }

  boolean inDomains(String domain) {
    return allDomains() || domainsAsked.contains(domain.toLowerCase(Locale.ROOT));
  }

  boolean inCoses(String cos) {
    return cosesAsked.equals(List.of(ALL)) || cosesAsked.contains(cos.toLowerCase(Locale.ROOT));
  }

  /** What the selection finds on the store now: accounts to export, by name, and those left out. */
  record Found(List<Account> accounts, List<Account> backupDisabled) {}

  Found find(MailStore store) {
    Set<String> disabled = CosBackupMarker.disabledNames(store);
    List<Account> in = new ArrayList<>();
    List<Account> off = new ArrayList<>();
    for (Account a : store.accounts()) {
      if (!inDomains(a.domain()) || !inCoses(a.cos())) {
        continue;
      }
      (disabled.contains(a.cos().toLowerCase(Locale.ROOT)) ? off : in).add(a);
    }
    in.sort(Comparator.comparing(Account::name));
    return new Found(in, off);
  }

  /** The domains the export records: those asked for, or every domain of the store. */
  List<Domain> domains(MailStore store) {
    return store.domains().stream().filter(x -> inDomains(x.name())).toList();
  }

  /** The classes of service the exported accounts use. */
  static List<Cos> cosesUsed(MailStore store, List<Account> accounts) {
    Set<String> used = new TreeSet<>();
    accounts.forEach(a -> used.add(a.cos().toLowerCase(Locale.ROOT)));
    return store.coses().stream().filter(c -> used.contains(c.name().toLowerCase(Locale.ROOT))).toList();
  }
}
