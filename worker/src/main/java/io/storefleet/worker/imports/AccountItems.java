package io.storefleet.worker.imports;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.CorruptBlobException;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.restore.ContentMatch;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * PHASE2 for one account: every item of the source that the import map does not already have is
 * created in its folder, byte for byte, and mapped. Messages with the same folder, flags and tags
 * go to the store in batches, and each batch is written to the map at once, so a kill loses at
 * most the mapping of one batch; the next run finds those items by folder and digest instead of
 * creating them twice (by canonical digest when the source comes from a store of another kind,
 * {@link ContentMatch}).
 */
final class AccountItems {
  private static final int BATCH_ITEMS = 200;
  private static final long BATCH_BYTES = 16L * 1024 * 1024;

  private final MailStore store;
  private final ImportSource src;
  private final ImportOptions opt;
  private final ImportMap map;
  private final ImportCounters counters;
  private final ImportProgress progress;
  private final OperationContext ctx;

  AccountItems(MailStore store, ImportSource src, ImportOptions opt, ImportMap map, ImportCounters counters,
      ImportProgress progress, OperationContext ctx) {
    this.store = store;
    this.src = src;
    this.opt = opt;
    this.map = map;
    this.counters = counters;
    this.progress = progress;
    this.ctx = ctx;
  }

  /** The item states of the source this import takes for an account. */
  List<ItemState> wanted(ImportTarget t) throws IOException {
    List<ItemState> out = new ArrayList<>();
    for (ItemState s : src.latestStates(t.oldId())) {
      if (!s.deleted() || !opt.filterDeleted()) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparingInt(ItemState::id));
    return out;
  }

  void run(ImportTarget t, List<ItemState> states) throws IOException {
    ContentMatch match = src.match(store);
    Set<Integer> usedIds = new HashSet<>();
    for (ItemState s : states) {
      int mapped = map.id(t.oldId(), s.id());
      if (mapped > 0) {
        usedIds.add(mapped);
      }
    }
    Map<String, Deque<Integer>> unmapped = null;
    Batch batch = null;
    for (ItemState s : states) {
      ctx.beforeItem();
      if (map.id(t.oldId(), s.id()) > 0) {
        counters.add(ImportCounters.SKIPPED, 1);
        progress.advance(1, 0);
        continue;
      }
      int folder = t.folders.getOrDefault(s.folderId(), defaultFolder(s.type()));
      if (unmapped == null) {
        unmapped = unmappedHere(t, usedIds, match);
      }
      Deque<Integer> same = unmapped.isEmpty() ? null : unmapped.get(folder + " " + key(match, s));
      if (same != null && !same.isEmpty()) {
        // Created by a run that was killed before it wrote the map.
        map.ids(t.oldId(), new int[] {s.id()}, new int[] {same.poll()});
        counters.add(ImportCounters.SKIPPED, 1);
        progress.advance(1, 0);
        continue;
      }
      byte[] raw = content(t, s);
      if (raw == null) {
        progress.advance(1, 0);
        continue;
      }
      if (s.type() != ItemType.MESSAGE) {
        flush(t, batch);
        batch = null;
        single(t, s, folder, raw);
        continue;
      }
      if (batch != null && !batch.accepts(folder, s)) {
        flush(t, batch);
        batch = null;
      }
      if (batch == null) {
        batch = new Batch(folder, s);
      }
      batch.add(s, raw);
      if (batch.full()) {
        flush(t, batch);
        batch = null;
      }
    }
    flush(t, batch);
  }

  /** The content to import, or null (counted as unrestored with its cause). */
  private byte[] content(ImportTarget t, ItemState s) {
    if (s.blobless()) {
      counters.unrestored(t.name(), s.id(), "read error: the source holds no content for this item (recorded"
          + " in blobless mode)");
      return null;
    }
    if (opt.maxFileSizeBytes() >= 0 && s.size() > opt.maxFileSizeBytes()) {
      counters.unrestored(t.name(), s.id(), "invalid item: " + s.size() + " bytes, larger than max_file_size "
          + opt.maxFileSizeBytes() / (1024 * 1024) + " MB");
      return null;
    }
    try {
      return src.content(s.digest());
    } catch (CorruptBlobException e) {
      counters.unrestored(t.name(), s.id(), "broken item: " + e.getMessage());
    } catch (IOException e) {
      counters.unrestored(t.name(), s.id(), "read error: " + e.getMessage());
    }
    return null;
  }

  /** Items already in the mailbox that no mapped item claims, by folder and content key. */
  private Map<String, Deque<Integer>> unmappedHere(ImportTarget t, Set<Integer> usedIds, ContentMatch match) {
    Map<String, Deque<Integer>> out = new HashMap<>();
    for (Item i : store.items(t.newId())) {
      if (!usedIds.contains(i.id())) {
        String key;
        try {
          key = match.storedKey(store, t.newId(), i);
        } catch (StorefleetException e) {
          // Unreadable here: it cannot be taken for a source item, which is then created anew.
          continue;
        }
        out.computeIfAbsent(i.folderId() + " " + key, k -> new ArrayDeque<>()).add(i.id());
      }
    }
    return out;
  }

  /** A source item's content key, or null when its content cannot be read (then nothing matches it). */
  private static String key(ContentMatch match, ItemState s) {
    if (s.blobless()) {
      return null;
    }
    try {
      return match.backupKey(s.digest(), s.size());
    } catch (StorefleetException e) {
      return null;
    }
  }

  private void single(ImportTarget t, ItemState s, int folder, byte[] raw) throws IOException {
    Item created;
    try {
      created = store.addItem(t.newId(), folder, s.type(), raw, s.subject() == null ? "" : s.subject());
      if (!s.flags().isEmpty()) {
        created = store.setFlags(t.newId(), created.id(), s.flags());
      }
      if (!s.tags().isEmpty()) {
        created = store.setTags(t.newId(), created.id(), s.tags());
      }
    } catch (StorefleetException e) {
      failUnlessRefused(e);
      counters.unrestored(t.name(), s.id(), "invalid item: " + e.getMessage());
      progress.advance(1, 0);
      return;
    }
    map.ids(t.oldId(), new int[] {s.id()}, new int[] {created.id()});
    restored(t, s, created, raw.length);
  }

  private void flush(ImportTarget t, Batch b) throws IOException {
    if (b == null || b.states.isEmpty()) {
      return;
    }
    List<Item> created;
    try {
      created = store.addMessages(t.newId(), b.folder, b.raws, b.first.flags(), b.first.tags());
    } catch (StorefleetException e) {
      failUnlessRefused(e);
      for (ItemState s : b.states) {
        counters.unrestored(t.name(), s.id(), "invalid item: " + e.getMessage());
      }
      progress.advance(b.states.size(), 0);
      return;
    }
    int[] olds = new int[created.size()];
    int[] news = new int[created.size()];
    for (int i = 0; i < created.size(); i++) {
      olds[i] = b.states.get(i).id();
      news[i] = created.get(i).id();
    }
    map.ids(t.oldId(), olds, news);
    for (int i = 0; i < created.size(); i++) {
      restored(t, b.states.get(i), created.get(i), b.raws.get(i).length);
    }
  }

  private void restored(ImportTarget t, ItemState s, Item created, long bytes) {
    t.restored.add(new ImportTarget.RestoredItem(s.folderId(), created.id(), s.digest(), s.size()));
    counters.add(ImportCounters.RESTORED, 1);
    counters.add("bytesRestored", bytes);
    progress.advance(1, bytes);
  }

  /**
   * A store that refuses an item (definite: bad input, a conflict) makes it unrestored; one that
   * fails (a server down, a full mailbox: indefinite) fails the import, to be run again.
   */
  private static void failUnlessRefused(StorefleetException e) {
    if (!e.code().definite()) {
      throw e;
    }
  }

  /** Where an item goes when its folder is not in the source's folder list (a deleted item's gone folder). */
  private static int defaultFolder(ItemType type) {
    return switch (type) {
      case MESSAGE -> Folder.INBOX;
      case CONTACT -> Folder.CONTACTS;
      case APPOINTMENT -> Folder.CALENDAR;
      case TASK -> Folder.TASKS;
      case DOCUMENT -> Folder.BRIEFCASE;
    };
  }

  /** Messages that go to the store in one commit: one folder, the same flags and tags. */
  private static final class Batch {
    final int folder;
    final ItemState first;
    final List<ItemState> states = new ArrayList<>();
    final List<byte[]> raws = new ArrayList<>();
    long bytes;

    Batch(int folder, ItemState first) {
      this.folder = folder;
      this.first = first;
    }

    boolean accepts(int f, ItemState s) {
      return f == folder && Objects.equals(s.flags(), first.flags()) && Objects.equals(s.tags(), first.tags());
    }

    void add(ItemState s, byte[] raw) {
      states.add(s);
      raws.add(raw);
      bytes += raw.length;
    }

    boolean full() {
      return states.size() >= BATCH_ITEMS || bytes >= BATCH_BYTES;
    }
  }
}
