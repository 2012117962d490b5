package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.JournalEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Provisioning: domains, classes of service, accounts and distribution lists. Like {@link
 * Mailbox}, it changes only by applying journal entries.
 */
final class Directory {
  private final Map<String, Domain> domains = new TreeMap<>();
  private final Map<String, Cos> coses = new TreeMap<>(); // by lower-case name
  private final Map<String, Account> accounts = new HashMap<>(); // by id
  private final Map<String, String> accountIdByAddress = new HashMap<>(); // names and aliases
  private final Map<String, DistributionList> lists = new TreeMap<>();

  static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  // ---- queries

  List<Domain> domains() {
    return List.copyOf(domains.values());
  }

  Optional<Domain> domain(String name) {
    return Optional.ofNullable(domains.get(key(name)));
  }

  List<Cos> coses() {
    return List.copyOf(coses.values());
  }

  Optional<Cos> cos(String name) {
    return Optional.ofNullable(coses.get(key(name)));
  }

  Optional<Cos> cosById(String id) {
    return coses.values().stream().filter(c -> c.id().equals(id)).findFirst();
  }

  List<Account> accounts() {
    List<Account> all = new ArrayList<>(accounts.values());
    all.sort(Comparator.comparing(Account::name));
    return all;
  }

  /** By id, primary name or alias. */
  Optional<Account> account(String nameOrId) {
    String k = key(nameOrId);
    Account byId = accounts.get(k);
    return byId != null
        ? Optional.of(byId)
        : Optional.ofNullable(accountIdByAddress.get(k)).map(accounts::get);
  }

  List<DistributionList> lists() {
    return List.copyOf(lists.values());
  }

  Optional<DistributionList> list(String name) {
    return Optional.ofNullable(lists.get(key(name)));
  }

  /** What already uses an address (account, alias or list), or empty if it is free. */
  Optional<String> addressUser(String address) {
    String k = key(address);
    String id = accountIdByAddress.get(k);
    if (id != null) {
      Account a = accounts.get(id);
      return Optional.of(a.name().equals(k) ? "account " + k : "an alias of account " + a.name());
    }
    return lists.containsKey(k) ? Optional.of("distribution list " + k) : Optional.empty();
  }

  /** Accounts, aliases and lists whose address is in {@code domain}. */
  List<String> addressesIn(String domain) {
    String suffix = "@" + key(domain);
    List<String> in = new ArrayList<>();
    accountIdByAddress.keySet().stream().filter(a -> a.endsWith(suffix)).forEach(in::add);
    lists.keySet().stream().filter(a -> a.endsWith(suffix)).forEach(in::add);
    in.sort(null);
    return in;
  }

  List<String> accountsUsing(Cos cos) {
    return accounts().stream().filter(a -> key(a.cos()).equals(key(cos.name()))).map(Account::name).toList();
  }

  // ---- replay

  /** Applies a provisioning entry; returns the account it created or deleted, if any. */
  Optional<Account> apply(JournalEntry e) {
    switch (e.type()) {
      case DOMAIN_CREATED -> {
        Details.DomainCreated d = JournalCodec.detail(e, Details.DomainCreated.class);
        domains.put(d.name(), new Domain(d.name(), d.createdAt() != null ? d.createdAt() : e.time()));
      }
      case DOMAIN_DELETED -> remove(e, domains, JournalCodec.detail(e, Details.Named.class).name());
      case COS_CREATED, COS_UPDATED -> {
        Details.CosState c = JournalCodec.detail(e, Details.CosState.class);
        coses.put(key(c.name()), new Cos(c.id(), c.name(), c.notes()));
      }
      case COS_DELETED -> remove(e, coses, key(JournalCodec.detail(e, Details.Named.class).name()));
      case ACCOUNT_CREATED -> {
        Details.AccountCreated d = JournalCodec.detail(e, Details.AccountCreated.class);
        Account a = new Account(d.id(), d.name(), d.domain(), d.cos(), d.status(), d.attributes(), List.of(),
            d.createdAt() != null ? d.createdAt() : e.time());
        accounts.put(a.id(), a);
        accountIdByAddress.put(a.name(), a.id());
        return Optional.of(a);
      }
      case ACCOUNT_DELETED -> {
        Account a = remove(e, accounts, e.accountId());
        accountIdByAddress.remove(a.name());
        a.aliases().forEach(accountIdByAddress::remove);
        return Optional.of(a);
      }
      case ALIAS_ADDED -> {
        Account a = accounts.get(e.accountId());
        if (a == null) {
          throw corrupt(e, "account " + e.accountId() + " does not exist");
        }
        String alias = JournalCodec.detail(e, Details.AliasAdded.class).alias();
        List<String> aliases = new ArrayList<>(a.aliases());
        aliases.add(alias);
        accounts.put(a.id(), new Account(a.id(), a.name(), a.domain(), a.cos(), a.status(), a.attributes(), aliases, a.createdAt()));
        accountIdByAddress.put(alias, a.id());
      }
      case DL_CREATED -> {
        Details.ListCreated d = JournalCodec.detail(e, Details.ListCreated.class);
        lists.put(d.name(), new DistributionList(d.id(), d.name(), d.members()));
      }
      case DL_DELETED -> remove(e, lists, JournalCodec.detail(e, Details.Named.class).name());
      default -> throw corrupt(e, "it is not a provisioning change");
    }
    return Optional.empty();
  }

  private static <V> V remove(JournalEntry e, Map<String, V> map, String key) {
    V removed = map.remove(key);
    if (removed == null) {
      throw corrupt(e, key + " does not exist");
    }
    return removed;
  }

  private static RuntimeException corrupt(JournalEntry e, String why) {
    return ErrorCode.IO_ERROR.exception(
        "journal entry " + e.seq() + " (" + e.type() + ") cannot be applied: " + why
            + "; the journal is inconsistent, restore the store from a backup");
  }
}
