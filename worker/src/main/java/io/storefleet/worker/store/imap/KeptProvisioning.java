package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DirectoryNames;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Mutation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Domains, classes of service, aliases and distribution lists of an imap store: kept by the worker
 * ({@link KeptDirectory}), checked as the embedded store checks them, and journalled with the same
 * entries (DOMAIN_CREATED, COS_CREATED, ALIAS_ADDED, DL_CREATED, ...), so backups record them. A
 * domain also exists while an account of the server is in it, created here or not.
 */
final class KeptProvisioning {
  record DomainCreated(String name, Instant createdAt) {}

  record CosState(String id, String name, String notes) {}

  record AliasAdded(String alias) {}

  record ListCreated(String id, String name, List<String> members) {}

  private final KeptDirectory kept;
  private final AccountDirectory accounts;
  private final ImapJournal journal;
  private final Clock clock;
  private final String server;

  KeptProvisioning(KeptDirectory kept, AccountDirectory accounts, ImapJournal journal, Clock clock, String server) {
    this.kept = kept;
    this.accounts = accounts;
    this.journal = journal;
    this.clock = clock;
    this.server = server;
  }

  /** The file this provisioning is kept in. */
  KeptDirectory file() {
    return kept;
  }

  // ---- domains

  /** The domains created here and those of the server's accounts, each with its earliest date. */
  List<Domain> domains() {
    Map<String, Instant> all = new TreeMap<>(kept.state().domains());
    for (Account a : accounts.accounts()) {
      if (!a.domain().isEmpty()) {
        all.merge(a.domain(), Objects.requireNonNullElse(a.createdAt(), Instant.EPOCH),
            (x, y) -> x.isBefore(y) ? x : y);
      }
    }
    return all.entrySet().stream().map(e -> new Domain(e.getKey(), e.getValue())).toList();
  }

  Domain createDomain(String name) {
    String d = DirectoryNames.domain(name);
    if (domains().stream().anyMatch(x -> x.name().equals(d))) {
      throw ErrorCode.ALREADY_EXISTS.exception("domain " + d + " already exists on " + server);
    }
    return addDomain(d, clock.instant());
  }

  private Domain addDomain(String d, Instant at) {
    kept.change(s -> {
      s.domains().put(d, at);
      return s;
    });
    commit(Mutation.DOMAIN_CREATED, null, new DomainCreated(d, at));
    return new Domain(d, at);
  }

  void deleteDomain(String name) {
    String d = DirectoryNames.domain(name);
    List<String> users = addressesIn(d);
    if (!users.isEmpty()) {
      throw ErrorCode.CONFLICT.exception("domain " + d + " still has " + users.size() + " accounts, aliases or lists ("
          + String.join(", ", users.subList(0, Math.min(5, users.size()))) + "); delete them first");
    }
    if (!kept.state().domains().containsKey(d)) {
      throw ErrorCode.NOT_FOUND.exception("domain " + d + " does not exist on " + server
          + "; create it with 'storefleet admin createDomain " + d + "'");
    }
    kept.change(s -> {
      s.domains().remove(d);
      return s;
    });
    commit(Mutation.DOMAIN_DELETED, null, new JournalDetails.Named(d));
  }

  private List<String> addressesIn(String domain) {
    List<String> out = new ArrayList<>();
    for (Account a : accounts.accounts()) {
      if (a.domain().equals(domain)) {
        out.add(a.name());
      }
      a.aliases().stream().filter(x -> DirectoryNames.domainOf(x).equals(domain)).forEach(out::add);
    }
    kept.state().lists().keySet().stream().filter(l -> DirectoryNames.domainOf(l).equals(domain)).forEach(out::add);
    return out;
  }

  private void requireDomain(String domain) {
    if (domains().stream().noneMatch(x -> x.name().equals(domain))) {
      throw ErrorCode.NOT_FOUND.exception("domain " + domain + " does not exist on " + server
          + "; create it with 'storefleet admin createDomain " + domain + "'");
    }
  }

  // ---- classes of service

  /** The built-in {@code default} COS (with the notes set on it) and those created here. */
  List<Cos> coses() {
    Map<String, Cos> created = kept.state().coses();
    List<Cos> out = new ArrayList<>();
    out.add(created.getOrDefault(Provisioner.DEFAULT_COS.name(), Provisioner.DEFAULT_COS));
    created.values().stream().filter(c -> !c.name().equals(Provisioner.DEFAULT_COS.name())).forEach(out::add);
    return out;
  }

  Optional<Cos> cos(String name) {
    return name == null ? Optional.empty() : coses().stream().filter(c -> c.name().equalsIgnoreCase(name.trim()))
        .findFirst();
  }

  /** A COS by name, or NOT_FOUND naming the fix. */
  Cos requireCos(String name) {
    return cos(name).orElseThrow(() -> ErrorCode.NOT_FOUND.exception("COS " + name + " does not exist on " + server
        + "; create it with 'storefleet admin createCos " + name + "'"));
  }

  Cos createCos(String name, String notes) {
    String c = DirectoryNames.cos(name);
    if (cos(c).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("cos " + c + " already exists on " + server);
    }
    return addCos(new Cos(UUID.randomUUID().toString(), c, notes == null ? "" : notes));
  }

  private Cos addCos(Cos made) {
    kept.change(s -> {
      s.coses().put(made.name(), made);
      return s;
    });
    commit(Mutation.COS_CREATED, null, new CosState(made.id(), made.name(), made.notes()));
    return made;
  }

  Cos setCosNotes(String name, String notes) {
    Cos c = requireCos(name);
    String n = notes == null ? "" : notes;
    if (n.equals(c.notes())) {
      return c;
    }
    Cos changed = new Cos(c.id(), c.name(), n);
    kept.change(s -> {
      s.coses().put(c.name(), changed);
      return s;
    });
    commit(Mutation.COS_UPDATED, null, new CosState(changed.id(), changed.name(), changed.notes()));
    return changed;
  }

  void deleteCos(String name) {
    Cos c = requireCos(name);
    if (c.name().equals(Provisioner.DEFAULT_COS.name())) {
      throw ErrorCode.CONFLICT.exception("cos " + c.name() + " is the imap store's built-in COS; it cannot be deleted");
    }
    List<String> users = accounts.accounts().stream().filter(a -> a.cos().equals(c.name())).map(Account::name)
        .toList();
    if (!users.isEmpty()) {
      throw ErrorCode.CONFLICT.exception("cos " + c.name() + " is used by " + users.size() + " accounts ("
          + String.join(", ", users.subList(0, Math.min(5, users.size())))
          + "); delete them or give them another COS first");
    }
    kept.change(s -> {
      s.coses().remove(c.name());
      return s;
    });
    commit(Mutation.COS_DELETED, null, new JournalDetails.Named(c.name()));
  }

  /** Records a new account's COS (before its ACCOUNT_CREATED entry names it). */
  void assignCos(String accountId, Cos cos) {
    if (!cos.name().equals(Provisioner.DEFAULT_COS.name())) {
      kept.change(s -> {
        s.accountCos().put(accountId, cos.name());
        return s;
      });
    }
  }

  /** Forgets a deleted account's COS and aliases. */
  void forgetAccount(String accountId) {
    KeptDirectory.State before = kept.state();
    if (before.accountCos().containsKey(accountId) || before.aliases().containsKey(accountId)) {
      kept.change(s -> {
        s.accountCos().remove(accountId);
        s.aliases().remove(accountId);
        return s;
      });
    }
  }

  // ---- aliases and lists

  Account addAlias(String accountId, String alias) {
    Account a = accounts.find(accountId == null ? "" : accountId).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "account " + accountId + " does not exist on " + server));
    String al = DirectoryNames.address(alias);
    requireDomain(DirectoryNames.domainOf(al));
    requireFree(al);
    kept.change(s -> {
      List<String> now = new ArrayList<>(s.aliases().getOrDefault(a.id(), List.of()));
      now.add(al);
      s.aliases().put(a.id(), List.copyOf(now));
      return s;
    });
    commit(Mutation.ALIAS_ADDED, a.id(), new AliasAdded(al));
    return accounts.find(a.id()).orElseThrow();
  }

  List<DistributionList> lists() {
    return List.copyOf(kept.state().lists().values());
  }

  DistributionList createList(String name, List<String> members) {
    String l = DirectoryNames.address(name);
    requireDomain(DirectoryNames.domainOf(l));
    Set<String> ms = new LinkedHashSet<>();
    for (String m : members == null ? List.<String>of() : members) {
      ms.add(DirectoryNames.address(m));
    }
    requireFree(l);
    return addList(new DistributionList(UUID.randomUUID().toString(), l, List.copyOf(ms)));
  }

  private DistributionList addList(DistributionList made) {
    kept.change(s -> {
      s.lists().put(made.name(), made);
      return s;
    });
    commit(Mutation.DL_CREATED, null, new ListCreated(made.id(), made.name(), made.members()));
    return made;
  }

  void deleteList(String name) {
    String l = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (!kept.state().lists().containsKey(l)) {
      throw ErrorCode.NOT_FOUND.exception("distribution list " + l + " not found on " + server
          + "; create it with 'storefleet admin createDistributionList " + l + "'");
    }
    kept.change(s -> {
      s.lists().remove(l);
      return s;
    });
    commit(Mutation.DL_DELETED, null, new JournalDetails.Named(l));
  }

  // ---- raw restore: the recorded ids and dates

  Domain restoreDomain(Domain d) {
    if (d == null) {
      throw ErrorCode.BAD_VALUE.exception("no domain given to restore on " + server);
    }
    String name = DirectoryNames.domain(d.name());
    if (kept.state().domains().containsKey(name)) {
      throw ErrorCode.ALREADY_EXISTS.exception("domain " + name + " already exists on " + server);
    }
    return addDomain(name, d.createdAt() == null ? clock.instant() : d.createdAt());
  }

  Cos restoreCos(Cos c) {
    if (c == null) {
      throw ErrorCode.BAD_VALUE.exception("no COS given to restore on " + server);
    }
    String name = DirectoryNames.cos(c.name());
    String id = DirectoryNames.restoredId(c.id(), "cos " + name);
    if (cos(name).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("cos " + name + " already exists on " + server);
    }
    coses().stream().filter(x -> x.id().equals(id)).findFirst().ifPresent(other -> {
      throw ErrorCode.ALREADY_EXISTS.exception("cos id " + id + " is already used by cos " + other.name() + " on "
          + server);
    });
    return addCos(new Cos(id, name, c.notes() == null ? "" : c.notes()));
  }

  DistributionList restoreList(DistributionList l) {
    if (l == null) {
      throw ErrorCode.BAD_VALUE.exception("no distribution list given to restore on " + server);
    }
    String name = DirectoryNames.address(l.name());
    String id = DirectoryNames.restoredId(l.id(), "distribution list " + name);
    requireDomain(DirectoryNames.domainOf(name));
    Set<String> ms = new LinkedHashSet<>();
    for (String m : l.members()) {
      ms.add(DirectoryNames.address(m));
    }
    requireFree(name);
    return addList(new DistributionList(id, name, List.copyOf(ms)));
  }

  /**
   * Checks what a restored account needs here (its domain, COS and free addresses) before the
   * user is created; returns its aliases, normalized.
   */
  List<String> checkRestored(Account a, String name) {
    requireDomain(DirectoryNames.domainOf(name));
    if (a.cos() != null && !a.cos().isBlank()) {
      requireCos(a.cos());
    }
    requireFree(name);
    Set<String> aliases = new LinkedHashSet<>();
    for (String alias : a.aliases()) {
      String al = DirectoryNames.address(alias);
      requireDomain(DirectoryNames.domainOf(al));
      requireFree(al);
      if (al.equals(name) || !aliases.add(al)) {
        throw ErrorCode.BAD_VALUE.exception("account " + name + " lists the address " + al + " twice");
      }
    }
    return List.copyOf(aliases);
  }

  /** Records a restored account's aliases; the caller journals them after its ACCOUNT_CREATED. */
  void restoreAliases(String accountId, List<String> aliases) {
    if (!aliases.isEmpty()) {
      kept.change(s -> {
        s.aliases().put(accountId, List.copyOf(aliases));
        return s;
      });
    }
  }

  private void requireFree(String address) {
    if (accounts.find(address).isPresent() || kept.state().lists().containsKey(address)) {
      throw ErrorCode.ALREADY_EXISTS.exception(address + " is already an account, alias or list on " + server);
    }
  }

  private void commit(Mutation type, String accountId, Object detail) {
    journal.commit(List.of(new ImapJournal.Change(type, accountId, 0, detail)));
  }
}
