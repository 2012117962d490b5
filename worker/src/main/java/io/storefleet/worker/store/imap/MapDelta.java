package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one save of an id map changed since the map on disk, as one record of its log
 * ({@link AccountMapFile}). Every field holds whole values (an item as it now is, a removed id),
 * never increments, so applying a record to a map that already holds it changes nothing.
 *
 * @param generation the base file this record follows; records of another generation are stale
 * @param nextId the map's next id
 * @param marks mailbox marks put (by mailbox key)
 * @param marksRemoved mailbox keys removed
 * @param items items put
 * @param removed item ids removed
 * @param grants the grants, or null when unchanged
 * @param lazyExpunge the lazy_expunge mailbox's mark, or null when unchanged
 * @param awaiting awaiting items put
 * @param awaitingRemoved awaiting item ids removed
 * @param journal the journal place the map has caught up to after this record (null in records
 *     written before the map named it)
 * @param forced whether the record was forced (null in records written when all were): a damaged
 *     record followed by a forced one is media damage, not a power loss's unforced writes
 */
record MapDelta(long generation, int nextId, Map<String, AccountMap.MailboxMark> marks, List<String> marksRemoved,
    List<MappedItem> items, List<Integer> removed, List<Grant> grants, AccountMap.MailboxMark lazyExpunge,
    List<Item> awaiting, List<Integer> awaitingRemoved, JournalPlace journal, Boolean forced) {
  MapDelta {
    marks = marks == null ? Map.of() : marks;
    marksRemoved = marksRemoved == null ? List.of() : marksRemoved;
    items = items == null ? List.of() : items;
    removed = removed == null ? List.of() : removed;
    awaiting = awaiting == null ? List.of() : awaiting;
    awaitingRemoved = awaitingRemoved == null ? List.of() : awaitingRemoved;
  }

  /** A map's state at one moment: what a save compares with the state it last wrote. */
  record State(int nextId, Map<String, AccountMap.MailboxMark> marks, Map<Integer, MappedItem> items,
      List<Grant> grants, AccountMap.MailboxMark lazyExpunge, Map<Integer, Item> awaiting, JournalPlace journal) {}

  /**
   * What changed from {@code disk} to {@code now}; null when a record cannot say it (the
   * lazy_expunge mark dropped, which only a rewrite of the whole map holds).
   */
  static MapDelta between(State disk, State now, long generation) {
    if (now.lazyExpunge() == null && disk.lazyExpunge() != null) {
      return null;
    }
    Map<String, AccountMap.MailboxMark> marks = new java.util.HashMap<>();
    now.marks().forEach((k, v) -> {
      if (!v.equals(disk.marks().get(k))) {
        marks.put(k, v);
      }
    });
    List<MappedItem> items = new ArrayList<>();
    now.items().forEach((k, v) -> {
      MappedItem was = disk.items().get(k);
      if (was != v && !v.equals(was)) {
        items.add(v);
      }
    });
    List<Item> awaiting = new ArrayList<>();
    now.awaiting().forEach((k, v) -> {
      if (!v.equals(disk.awaiting().get(k))) {
        awaiting.add(v);
      }
    });
    return new MapDelta(generation, now.nextId(), marks, gone(disk.marks(), now.marks()), items,
        gone(disk.items(), now.items()), Objects.equals(disk.grants(), now.grants()) ? null : now.grants(),
        Objects.equals(disk.lazyExpunge(), now.lazyExpunge()) ? null : now.lazyExpunge(), awaiting,
        gone(disk.awaiting(), now.awaiting()), now.journal(), null);
  }

  private static <K> List<K> gone(Map<K, ?> disk, Map<K, ?> now) {
    return disk.keySet().stream().filter(k -> !now.containsKey(k)).toList();
  }

  /** Whether nothing changed but, at most, the next id. */
  boolean isEmpty(int diskNextId, JournalPlace diskJournal) {
    return nextId == diskNextId && Objects.equals(journal, diskJournal) && marks.isEmpty() && marksRemoved.isEmpty()
        && items.isEmpty() && removed.isEmpty()
        && grants == null && lazyExpunge == null && awaiting.isEmpty() && awaitingRemoved.isEmpty();
  }

  /** This record as written: forced or not. */
  MapDelta forced(boolean force) {
    return new MapDelta(generation, nextId, marks, marksRemoved, items, removed, grants, lazyExpunge, awaiting,
        awaitingRemoved, journal, force);
  }

  /** Whether the record was forced (records written before they said so all were). */
  boolean wasForced() {
    return forced == null || forced;
  }
}
