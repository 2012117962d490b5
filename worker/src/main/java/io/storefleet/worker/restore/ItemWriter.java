package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.CorruptBlobException;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.CanonicalContent;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.NewMessage;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes planned items into the target mailbox. An item whose content is already in its target
 * folder (matched by digest, each existing item at most once) is skipped, so a restore that was
 * interrupted is finished by running it again. Messages of one folder are added in batches, one
 * store commit each, each message with its own flags, tags and the arrival time the backup
 * recorded (none for states recorded before arrival times were kept: those arrive now).
 */
final class ItemWriter {
  private static final int BATCH_ITEMS = 64;
  private static final long BATCH_BYTES = 8L << 20;
  private static final Set<ErrorCode> REJECTIONS =
      Set.of(ErrorCode.BAD_VALUE, ErrorCode.CONFLICT, ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS);

  /** Where a planned item ended up: written now, or found already there (skipped). */
  record Placed(PlannedItem planned, int folderId, int itemId, boolean skipped) {}

  private record Pending(PlannedItem planned, byte[] raw) {}

  private final MailStore store;
  private final BlobReader blobs;
  private final Account target;
  private final String source;
  private final TargetFolders folders;
  private final boolean align;
  private final OperationContext ctx;
  private final RestoreProgress progress;
  private final ContentMatch match;
  private final Map<Integer, Map<String, Deque<Item>>> unclaimed = new HashMap<>();
  private final List<Placed> placed = new ArrayList<>();
  private final List<Unrestored> unrestored = new ArrayList<>();
  private final List<Pending> batch = new ArrayList<>();
  private int batchFolder;
  private long batchBytes;

  /**
   * @param align whether an item found already there gets the planned flags and tags (a mailbox
   *     the restore created) or is left as it is (a live mailbox)
   * @param source the account whose backup the items come from, named in the unrestored list
   *     with the item ids of its backup
   */
  ItemWriter(MailStore store, BlobReader blobs, Account target, String source, TargetFolders folders,
      boolean align, OperationContext ctx, RestoreProgress progress, ContentMatch match) {
    this.match = match;
    this.store = store;
    this.blobs = blobs;
    this.target = target;
    this.source = source;
    this.folders = folders;
    this.align = align;
    this.ctx = ctx;
    this.progress = progress;
  }

  List<Placed> placed() {
    return placed;
  }

  List<Unrestored> unrestored() {
    return unrestored;
  }

  void write(List<PlannedItem> items) {
    for (PlannedItem p : items) {
      ctx.beforeItem();
      Folder f;
      try {
        f = folders.resolve(p.target());
      } catch (StorefleetException e) {
        if (!REJECTIONS.contains(e.code())) {
          throw e;
        }
        failed(p, "invalid item: " + e.getMessage());
        progress.item(0);
        continue;
      }
      if (claim(p, f.id(), p.state().digest())) {
        progress.item(0);
        continue;
      }
      byte[] raw = content(p);
      if (raw == null) {
        progress.item(0);
        continue;
      }
      // Across store kinds an IMAP store holds the canonical form: that is the copy already there.
      if (match.canonical() && claim(p, f.id(), CanonicalContent.digest(raw))) {
        progress.item(0);
        continue;
      }
      if (p.state().type() == ItemType.MESSAGE) {
        if (!batch.isEmpty() && f.id() != batchFolder) {
          flush();
        }
        batch.add(new Pending(p, raw));
        batchFolder = f.id();
        batchBytes += raw.length;
        if (batch.size() >= BATCH_ITEMS || batchBytes >= BATCH_BYTES) {
          flush();
        }
      } else {
        flush();
        writeOther(p, f.id(), raw);
      }
    }
    flush();
  }

  /** Takes an item of the folder with this digest, preferring one with the same flags and tags. */
  private boolean claim(PlannedItem p, int folderId, String digest) {
    Map<String, Deque<Item>> byDigest = unclaimed.computeIfAbsent(folderId, this::index);
    Deque<Item> same = byDigest.get(digest);
    if (same == null || same.isEmpty()) {
      return false;
    }
    Item chosen = null;
    for (Iterator<Item> it = same.iterator(); it.hasNext(); ) {
      Item i = it.next();
      if (i.flags().equals(p.flags()) && i.tags().equals(p.state().tags())) {
        chosen = i;
        it.remove();
        break;
      }
    }
    if (chosen == null) {
      chosen = same.removeFirst();
      if (align) {
        store.setFlags(target.id(), chosen.id(), p.flags());
        store.setTags(target.id(), chosen.id(), p.state().tags());
      }
    }
    placed.add(new Placed(p, folderId, chosen.id(), true));
    return true;
  }

  private Map<String, Deque<Item>> index(int folderId) {
    Map<String, Deque<Item>> m = new HashMap<>();
    for (Item i : store.items(target.id(), folderId)) {
      m.computeIfAbsent(i.digest(), k -> new ArrayDeque<>()).add(i);
    }
    return m;
  }

  /** The item's content from the backup, or null when it cannot be had (recorded as unrestored). */
  private byte[] content(PlannedItem p) {
    ItemState s = p.state();
    if (s.blobless()) {
      failed(p, "read error: the backup holds no content for this item (recorded in blobless mode);"
          + " only doRawRestore with doRestoreBlobs restores blobless backups");
      return null;
    }
    try {
      return blobs.read(s.digest());
    } catch (CorruptBlobException e) {
      failed(p, "broken item: " + e.getMessage() + "; run doCoherencyCheck on the backup path");
      return null;
    } catch (IOException e) {
      failed(p, "read error: " + e.getMessage());
      return null;
    }
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    List<Pending> now = new ArrayList<>(batch);
    batch.clear();
    batchBytes = 0;
    try {
      List<Item> added = store.addMessages(target.id(), batchFolder, now.stream().map(ItemWriter::message).toList());
      for (int i = 0; i < now.size(); i++) {
        written(now.get(i), batchFolder, added.get(i).id());
      }
    } catch (StorefleetException e) {
      if (!REJECTIONS.contains(e.code())) {
        throw e;
      }
      // One bad message must not cost its batch: find it by adding them one at a time.
      for (Pending one : now) {
        try {
          Item added = store.addMessages(target.id(), batchFolder, List.of(message(one))).get(0);
          written(one, batchFolder, added.id());
        } catch (StorefleetException single) {
          if (!REJECTIONS.contains(single.code())) {
            throw single;
          }
          failed(one.planned(), "invalid item: " + single.getMessage());
          progress.item(0);
        }
      }
    }
  }

  private static NewMessage message(Pending p) {
    return new NewMessage(p.raw(), p.planned().flags(), p.planned().state().tags(), p.planned().state().receivedAt());
  }

  private void writeOther(PlannedItem p, int folderId, byte[] raw) {
    ItemState s = p.state();
    try {
      Item added = store.addItem(target.id(), folderId, s.type(), raw, s.subject());
      if (!p.flags().isEmpty()) {
        store.setFlags(target.id(), added.id(), p.flags());
      }
      if (!s.tags().isEmpty()) {
        store.setTags(target.id(), added.id(), s.tags());
      }
      written(new Pending(p, raw), folderId, added.id());
    } catch (StorefleetException e) {
      if (!REJECTIONS.contains(e.code())) {
        throw e;
      }
      failed(p, "invalid item: " + e.getMessage());
      progress.item(0);
    }
  }

  private void written(Pending p, int folderId, int itemId) {
    placed.add(new Placed(p.planned(), folderId, itemId, false));
    progress.item(p.raw().length);
  }

  private void failed(PlannedItem p, String cause) {
    unrestored.add(new Unrestored(source, p.state().id(), cause));
  }
}
