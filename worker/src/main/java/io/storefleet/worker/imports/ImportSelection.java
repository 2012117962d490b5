package io.storefleet.worker.imports;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Domain;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The source accounts an import takes: those named (or all), in the domains named (or all), less
 * deleted accounts ({@code filter_deleted}) and system accounts ({@code skip_system_accounts})
 * unless named. A name the source does not hold is refused before anything is created.
 *
 * @param accounts the accounts to import, by name
 * @param domains the domains the import provisions, lower case
 * @param leftOut accounts left out, by reason ({@code accountsDeletedLeftOut}, {@code accountsSystemLeftOut})
 */
record ImportSelection(List<SourceAccount> accounts, Set<String> domains, Map<String, Long> leftOut) {

  static ImportSelection of(ImportSource src, ImportOptions opt, String serverId) throws IOException {
    List<SourceAccount> all = src.accounts();
    Set<String> sourceDomains = new TreeSet<>();
    for (Domain d : src.provisioning().domains()) {
      sourceDomains.add(d.name().toLowerCase(Locale.ROOT));
    }
    all.forEach(a -> sourceDomains.add(a.domain().toLowerCase(Locale.ROOT)));
    for (String d : opt.domains()) {
      if (!sourceDomains.contains(d)) {
        throw ErrorCode.NOT_FOUND.exception("doExternalRestore domains: domain " + d + " is not in the source "
            + src.root() + " (its domains: " + (sourceDomains.isEmpty() ? "none" : String.join(", ", sourceDomains))
            + "); check the name, or leave 'domains' out to import them all", serverId);
      }
    }
    Map<String, SourceAccount> named = new LinkedHashMap<>();
    for (String n : opt.accounts()) {
      SourceAccount a = find(all, n);
      if (a == null) {
        throw ErrorCode.UNKNOWN_ACCOUNT.exception("doExternalRestore accounts: account " + n + " is not in the source "
            + src.root() + " (it holds " + all.size() + " account(s)" + sample(all) + "); check the name", serverId);
      }
      if (!opt.domains().isEmpty() && !opt.domains().contains(a.domain().toLowerCase(Locale.ROOT))) {
        throw ErrorCode.BAD_VALUE.exception("doExternalRestore accounts: account " + n + " is in domain " + a.domain()
            + ", which 'domains' leaves out; add the domain or drop the account", serverId);
      }
      if (a.deleted() && opt.filterDeleted()) {
        throw ErrorCode.BAD_VALUE.exception("doExternalRestore accounts: account " + n + " was deleted on "
            + src.serverId() + "; set filter_deleted false to import deleted accounts and items", serverId);
      }
      named.put(a.id(), a);
    }
    List<SourceAccount> chosen = new ArrayList<>();
    Map<String, Long> leftOut = new LinkedHashMap<>();
    leftOut.put("accountsDeletedLeftOut", 0L);
    leftOut.put("accountsSystemLeftOut", 0L);
    for (SourceAccount a : all) {
      if (!named.isEmpty()) {
        if (named.containsKey(a.id())) {
          chosen.add(a);
        }
        continue;
      }
      if (!opt.domains().isEmpty() && !opt.domains().contains(a.domain().toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (a.deleted() && opt.filterDeleted()) {
        leftOut.merge("accountsDeletedLeftOut", 1L, Long::sum);
      } else if (opt.skipSystemAccounts() && SystemAccounts.isSystem(a.account())) {
        leftOut.merge("accountsSystemLeftOut", 1L, Long::sum);
      } else {
        chosen.add(a);
      }
    }
    chosen.sort(Comparator.comparing(SourceAccount::name));
    Set<String> domains = new TreeSet<>(opt.domains());
    if (opt.domains().isEmpty() && named.isEmpty()) {
      domains.addAll(sourceDomains);
    }
    chosen.forEach(a -> domains.add(a.domain().toLowerCase(Locale.ROOT)));
    return new ImportSelection(chosen, domains, leftOut);
  }

  /** A live account of that name or alias first; else the deleted one recorded last. */
  private static SourceAccount find(List<SourceAccount> all, String name) {
    SourceAccount found = null;
    for (SourceAccount a : all) {
      boolean named = a.name().equalsIgnoreCase(name) || a.account().aliases().stream().anyMatch(name::equalsIgnoreCase)
          || a.id().equalsIgnoreCase(name);
      if (!named) {
        continue;
      }
      if (found == null || (found.deleted() && !a.deleted())
          || (found.deleted() == a.deleted() && a.snapshot().at().isAfter(found.snapshot().at()))) {
        found = a;
      }
    }
    return found;
  }

  private static String sample(List<SourceAccount> all) {
    List<String> names = all.stream().filter(a -> !a.deleted()).map(SourceAccount::name).sorted().limit(5).toList();
    return names.isEmpty() ? "" : ", e.g. " + String.join(", ", names);
  }
}
