package io.storefleet.worker.restore;

import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.store.Folder;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One account's whole backed-up history, read once, and the account as it stood at a point of
 * it. Restores read it without taking the account's history from the writers.
 */
final class BackupTimeline {
  private final List<AccountSnapshot> snapshots;
  private final List<ItemState> states;
  private final Map<AccountSnapshot, Map<Integer, Folder>> indexes = new java.util.IdentityHashMap<>();
  private Map<Integer, Folder> newestKnown;
  private Map<Integer, List<ItemState>> byItem;
  private final boolean inTimeOrder;

  private BackupTimeline(List<AccountSnapshot> snapshots, List<ItemState> states) {
    this.snapshots = snapshots;
    this.states = states;
    this.inTimeOrder = inTimeOrder(snapshots);
  }

  /**
   * Whether the snapshots' dates never go back in log order. They are appended as they are
   * recorded, but a wall clock can step back; such a log is searched one snapshot at a time.
   */
  private static boolean inTimeOrder(List<AccountSnapshot> snapshots) {
    for (int i = 1; i < snapshots.size(); i++) {
      if (snapshots.get(i).at().isBefore(snapshots.get(i - 1).at())) {
        return false;
      }
    }
    return true;
  }

  static BackupTimeline read(BackupEngine engine, String accountId) throws IOException {
    BackupHistoryReader r = new BackupHistoryReader(engine);
    return new BackupTimeline(r.snapshots(accountId), r.itemStates(accountId));
  }

  List<AccountSnapshot> snapshots() {
    return snapshots;
  }

  /** Every state of one item, oldest first. */
  List<ItemState> statesOf(int itemId) {
    // A search asks for many items: the states are grouped once rather than filtered per item.
    if (byItem == null) {
      byItem = new HashMap<>();
      for (ItemState s : states) {
        byItem.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
      }
    }
    return Collections.unmodifiableList(byItem.getOrDefault(itemId, List.of()));
  }

  /** The newest state of one item, or empty when the backup never saw it. */
  Optional<ItemState> latest(int itemId) {
    return Optional.ofNullable(pick(s -> s.id() == itemId).get(itemId));
  }

  /** The last snapshot recorded at or before {@code at} (null: the very last). */
  Optional<AccountSnapshot> snapshotAt(Instant at) {
    if (at == null) {
      return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.get(snapshots.size() - 1));
    }
    if (inTimeOrder) {
      // Callers ask once per item, so the search must not walk the whole log each time.
      int lo = 0;
      int hi = snapshots.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (snapshots.get(mid).at().isAfter(at)) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo == 0 ? Optional.empty() : Optional.of(snapshots.get(lo - 1));
    }
    AccountSnapshot found = null;
    for (AccountSnapshot s : snapshots) {
      if (!s.at().isAfter(at)) {
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Each item's state at {@code at}: its newest state dated at or before it (null: the newest of
   * all). Deleted ones are included; the caller decides what they mean.
   */
  Map<Integer, ItemState> itemsAt(Instant at) {
    return pick(s -> at == null || !s.since().isAfter(at));
  }

  /** Each item's state just before journal position {@code seq}. */
  Map<Integer, ItemState> itemsBefore(long seq) {
    return pick(s -> s.seq() < seq);
  }

  /**
   * The newest qualifying state per item by journal position: a scan may record a state dated
   * later than a real-time one of a higher position, and the position is what orders changes.
   */
  private Map<Integer, ItemState> pick(Predicate<ItemState> qualifies) {
    Map<Integer, ItemState> out = new LinkedHashMap<>();
    for (ItemState s : states) {
      if (!qualifies.test(s)) {
        continue;
      }
      ItemState prev = out.get(s.id());
      if (prev == null || s.seq() >= prev.seq()) {
        out.put(s.id(), s);
      }
    }
    return out;
  }

  /**
   * The snapshot that records the account's deletion (the first of the deleted ones that end the
   * log), or empty when the account's last snapshot is not a deletion.
   */
  Optional<AccountSnapshot> deletion() {
    AccountSnapshot first = null;
    for (int i = snapshots.size() - 1; i >= 0; i--) {
      AccountSnapshot s = snapshots.get(i);
      if (!s.deleted() || s.excluded() != null) {
        break;
      }
      first = s;
    }
    return Optional.ofNullable(first);
  }

  /** The last snapshot of the account while it still existed, before {@code deletion}. */
  Optional<AccountSnapshot> before(AccountSnapshot deletion) {
    AccountSnapshot found = null;
    for (AccountSnapshot s : snapshots) {
      if (s == deletion) {
        break;
      }
      if (!s.deleted()) {
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The folders of {@code preferred}, plus the newest known form of every folder id it lacks: an
   * item state may name a folder created just after the snapshot closest to it.
   */
  Map<Integer, Folder> folderIndex(AccountSnapshot preferred) {
    Map<Integer, Folder> cached = indexes.get(preferred);
    if (cached != null) {
      return cached;
    }
    if (newestKnown == null) {
      newestKnown = new HashMap<>();
      for (AccountSnapshot s : snapshots) {
        for (Folder f : s.folders()) {
          newestKnown.put(f.id(), f);
        }
      }
    }
    Map<Integer, Folder> known = new HashMap<>(newestKnown);
    indexes.put(preferred, known);
    if (preferred != null) {
      for (Folder f : preferred.folders()) {
        known.put(f.id(), f);
      }
    }
    return known;
  }

  /** Folder id to path as the folders stood at {@code at}, falling back to the newest known path. */
  Map<Integer, Folder> foldersAt(Instant at) {
    return folderIndex(snapshotAt(at).orElse(null));
  }
}
