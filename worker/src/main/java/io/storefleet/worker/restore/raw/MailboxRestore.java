package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.cluster.ClusterPeers;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-creates one account's mailbox with its original ids: the account, its folders (parents
 * first), its items' metadata (no content), its grants. What is already there and agrees with the
 * backup is skipped. Counts items and user folders alike, as both are items with ids here.
 */
final class MailboxRestore {
  /** Items per store commit: one journal sync each. */
  static final int BATCH = 500;

  /**
   * What became of one account.
   *
   * @param unrestoredIds folders and items reported as unrestored
   * @param unrestoredGrants grants reported as unrestored, as {@code folderId:granteeId}
   */
  record Outcome(boolean refused, Set<Integer> unrestoredIds, Set<String> unrestoredGrants) {}

  private final MailStore store;
  private final ClusterPeers peers;
  private final boolean deleteWhenConflict;
  private final Runnable settleFollowers;
  private final RestoreTally tally;
  private final String provisioningHint;

  /**
   * @param settleFollowers lets journal followers record a deletion before the account is created
   *     again under the same id
   * @param provisioningHint what to do when the account's domain or COS is missing
   */
  MailboxRestore(MailStore store, ClusterPeers peers, boolean deleteWhenConflict, Runnable settleFollowers,
      RestoreTally tally, String provisioningHint) {
    this.store = store;
    this.peers = peers;
    this.deleteWhenConflict = deleteWhenConflict;
    this.settleFollowers = settleFollowers;
    this.tally = tally;
    this.provisioningHint = provisioningHint;
  }

  Outcome restore(RecordedAccount r, OperationContext ctx, ItemProgress progress) {
    Account a = r.account();
    long size = r.items().size() + userFolders(r).size();
    MailboxConflicts conflicts = MailboxConflicts.of(store, peers, r);
    if (!conflicts.fixed().isEmpty()) {
      return refuse(a, "conflict: " + String.join("; ", conflicts.fixed()), size, progress);
    }
    if (!conflicts.blockers().isEmpty()) {
      if (!deleteWhenConflict) {
        return refuse(a, "conflict: " + String.join("; ", conflicts.blockers().values())
            + "; run doRawRestore again with deleteWhenConflict true to delete it", size, progress);
      }
      for (String id : conflicts.blockers().keySet()) {
        store.deleteAccount(id);
        tally.add("mailboxesDeleted", 1);
      }
      settleFollowers.run();
    }
    if (store.account(a.id()).isEmpty()) {
      try {
        store.restoreAccount(a);
      } catch (StorefleetException e) {
        requireDefinite(e);
        String hint = e.code() == ErrorCode.NOT_FOUND ? "; " + provisioningHint : "";
        return refuse(a, "invalid item: the account cannot be created: " + e.getMessage() + hint, size, progress);
      }
      tally.add("accountsRestored", 1);
    } else {
      tally.add("accountsCompleted", 1);
    }
    Set<Integer> failed = new HashSet<>();
    folders(r, failed, progress);
    items(r, failed, ctx, progress);
    return new Outcome(false, failed, grants(r));
  }

  private Outcome refuse(Account a, String cause, long size, ItemProgress progress) {
    tally.failed(a.name(), 0, cause, size);
    tally.add("accountsRefused", 1);
    progress.advance(a.name(), size);
    return new Outcome(true, Set.of(), Set.of());
  }

  private static List<Folder> userFolders(RecordedAccount r) {
    return r.folders().stream().filter(f -> f.id() >= Folder.FIRST_USER_ID).toList();
  }

  private void folders(RecordedAccount r, Set<Integer> failed, ItemProgress progress) {
    String id = r.account().id();
    List<Folder> ordered = new ArrayList<>(userFolders(r));
    ordered.sort(Comparator.comparingInt((Folder f) -> depth(f.path())).thenComparingInt(Folder::id));
    Set<Integer> there = new HashSet<>();
    store.folders(id).forEach(f -> there.add(f.id()));
    for (Folder f : ordered) {
      if (there.contains(f.id())) {
        tally.add("skipped", 1);
      } else {
        try {
          store.restoreFolder(id, f);
          tally.add("restored", 1);
          tally.add("foldersRestored", 1);
        } catch (StorefleetException e) {
          requireDefinite(e);
          failed.add(f.id());
          tally.failed(r.account().name(), f.id(), "invalid item: folder " + f.path() + ": " + e.getMessage(), 1);
        }
      }
      progress.advance(r.account().name(), 1);
    }
  }

  /**
   * A refusal of the object (definite) is reported and the restore goes on; a failure of the store
   * (a server down, a disk full: indefinite) fails the operation, to be run again once it is fixed.
   */
  static void requireDefinite(StorefleetException e) {
    if (!e.code().definite()) {
      throw e;
    }
  }

  private static int depth(String path) {
    return (int) path.chars().filter(c -> c == '/').count();
  }

  /**
   * Highest ids first: the first commit already moves the mailbox's next id past every id the
   * backup holds, so mail delivered during the restore cannot take an id a later batch needs.
   */
  private void items(RecordedAccount r, Set<Integer> failed, OperationContext ctx, ItemProgress progress) {
    String id = r.account().id();
    Set<Integer> present = new HashSet<>();
    for (Item i : store.items(id)) {
      present.add(i.id());
    }
    List<Item> missing = new ArrayList<>();
    for (Item i : r.items()) {
      if (present.contains(i.id())) {
        tally.add("skipped", 1);
        progress.advance(r.account().name(), 1);
      } else {
        missing.add(i);
      }
    }
    missing.sort(Comparator.comparingInt(Item::id).reversed());
    for (int from = 0; from < missing.size(); from += BATCH) {
      List<Item> batch = missing.subList(from, Math.min(from + BATCH, missing.size()));
      for (int k = 0; k < batch.size(); k++) {
        ctx.beforeItem();
      }
      try {
        store.restoreItems(id, batch);
        tally.add("restored", batch.size());
      } catch (StorefleetException refusedBatch) {
        requireDefinite(refusedBatch);
        // The store takes a batch whole or not at all: find the items it refuses one by one.
        for (Item i : batch) {
          try {
            store.restoreItems(id, List.of(i));
            tally.add("restored", 1);
          } catch (StorefleetException e) {
            requireDefinite(e);
            failed.add(i.id());
            tally.failed(r.account().name(), i.id(), "invalid item: " + e.getMessage(), 1);
          }
        }
      }
      progress.advance(r.account().name(), batch.size());
    }
  }

  private Set<String> grants(RecordedAccount r) {
    String id = r.account().id();
    Set<String> failed = new HashSet<>();
    // The store keeps one grant per folder and grantee, so a grant made here replaces its entry.
    Map<String, Grant> present = new HashMap<>();
    for (Grant x : store.grants(id)) {
      present.put(x.folderId() + ":" + x.granteeId(), x);
    }
    for (Grant g : r.grants()) {
      Grant x = present.get(g.folderId() + ":" + g.granteeId());
      if (x != null && x.rights().equals(g.rights())) {
        continue;
      }
      try {
        Grant made = store.grant(id, g.folderId(), g.granteeId(), g.granteeName(), g.rights());
        present.put(made.folderId() + ":" + made.granteeId(), made);
        tally.add("grantsRestored", 1);
      } catch (StorefleetException e) {
        failed.add(g.folderId() + ":" + g.granteeId());
        tally.failed(r.account().name(), g.folderId(), "invalid item: the share of folder " + g.folderId()
            + " with " + g.granteeName() + " cannot be restored: " + e.getMessage(), 0);
      }
    }
    return failed;
  }
}
