package io.storefleet.worker.restore.raw;

import io.storefleet.worker.cluster.ClusterPeers;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What stands in the way of restoring an account with its original ids. A mailbox of this store
 * that already has the account's id and agrees with the backup on every id it holds is an earlier
 * run's work, not a conflict: the restore completes it.
 *
 * @param blockers mailboxes of this store in the way, by account id, with why; deleteWhenConflict
 *     deletes them
 * @param fixed obstacles no deletion here removes (a list, an account on another server), with
 *     why
 */
record MailboxConflicts(Map<String, String> blockers, List<String> fixed) {

  boolean none() {
    return blockers.isEmpty() && fixed.isEmpty();
  }

  static MailboxConflicts of(MailStore store, ClusterPeers peers, RecordedAccount r) {
    Account a = r.account();
    Map<String, String> blockers = new LinkedHashMap<>();
    List<String> fixed = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    addresses.add(a.name());
    addresses.addAll(a.aliases());
    for (String address : addresses) {
      Optional<Account> user = store.account(address);
      if (user.isPresent() && !user.get().id().equals(a.id())) {
        blockers.putIfAbsent(user.get().id(), "mailbox " + user.get().name() + " (id " + user.get().id()
            + ") on this server uses " + address);
      }
      if (store.distributionLists().stream().anyMatch(l -> l.name().equalsIgnoreCase(address))) {
        fixed.add(address + " is a distribution list on this server; delete it with"
            + " 'storefleet admin deleteDistributionList " + address + "' and run again");
      }
    }
    for (String key : withId(a.id(), addresses)) {
      peers.holderElsewhere(key).ifPresent(server -> fixed.add(key + " belongs to an account on server " + server
          + "; delete it there (or keep it there and do not restore it here)"));
    }
    Optional<Account> same = store.account(a.id()).filter(x -> x.id().equals(a.id()));
    same.ifPresent(existing -> {
      String why = disagreement(store, existing, r);
      if (why != null) {
        blockers.put(existing.id(), "mailbox " + existing.name() + " (id " + existing.id() + ") on this server " + why);
      }
    });
    return new MailboxConflicts(blockers, List.copyOf(fixed));
  }

  private static List<String> withId(String id, List<String> addresses) {
    List<String> keys = new ArrayList<>(addresses);
    keys.add(0, id);
    return keys;
  }

  /** How an existing mailbox with the account's id contradicts the backup, or null. */
  private static String disagreement(MailStore store, Account existing, RecordedAccount r) {
    if (!existing.name().equalsIgnoreCase(r.account().name())) {
      return "has the account's id under the name " + existing.name();
    }
    Map<Integer, Folder> folders = new LinkedHashMap<>();
    store.folders(existing.id()).forEach(f -> folders.put(f.id(), f));
    Map<Integer, Item> items = new LinkedHashMap<>();
    store.items(existing.id()).forEach(i -> items.put(i.id(), i));
    for (Folder f : r.folders()) {
      Folder have = folders.get(f.id());
      if (items.containsKey(f.id())) {
        return "has item " + f.id() + " where the backup has folder " + f.path();
      }
      if (have != null && !(have.parentId() == f.parentId() && have.name().equals(f.name())
          && have.view().equals(f.view()) && java.util.Objects.equals(have.mount(), f.mount()))) {
        return "has folder " + f.id() + " as " + have.path() + " where the backup has " + f.path();
      }
      if (have == null) {
        Optional<Folder> atPath = folders.values().stream().filter(x -> x.path().equalsIgnoreCase(f.path())).findFirst();
        if (atPath.isPresent()) {
          return "has folder " + f.path() + " with id " + atPath.get().id() + " where the backup has id " + f.id();
        }
      }
    }
    for (Item i : r.items()) {
      Item have = items.get(i.id());
      if (folders.containsKey(i.id())) {
        return "has folder " + folders.get(i.id()).path() + " with id " + i.id() + ", the id of an item in the backup";
      }
      if (have != null && !(have.folderId() == i.folderId() && have.type() == i.type() && have.size() == i.size()
          && have.digest().equals(i.digest()))) {
        return "has item " + i.id() + " (" + have.size() + " bytes, " + have.digest().substring(0, 12)
            + "..., folder " + have.folderId() + ") where the backup has another (" + i.size() + " bytes, "
            + i.digest().substring(0, 12) + "..., folder " + i.folderId() + ")";
      }
    }
    return null;
  }
}
