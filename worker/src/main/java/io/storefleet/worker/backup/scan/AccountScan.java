package io.storefleet.worker.backup.scan;

import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.AccountCommit;
import io.storefleet.worker.backup.format.AccountHistory;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.GroupCommit;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.SnapshotHead;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.ScanView;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings one account's backup up to its mailbox: the unit of work of a scan. The blobs it needs
 * are put (pending) as it goes; its item states and snapshot are handed to a {@link GroupCommit},
 * which commits them with other accounts'. The caller holds the commit lock's read side until the
 * group commit has finished.
 */
final class AccountScan {
  /**
   * What scanning one account did; its counters count only once its commit succeeded.
   *
   * @param accountId null for an account skipped without being handed to the group commit
   */
  record Outcome(String accountId, Map<String, Long> counters, List<Unrestored> unreadable) {}

  private final MailStore store;
  private final ScanView view;
  private final BackupEngine engine;
  private final boolean deep;
  private final OperationContext ctx;
  private final ScanProgress progress;
  private final GroupCommit commits;

  AccountScan(MailStore store, ScanView view, BackupEngine engine, boolean deep, OperationContext ctx,
      ScanProgress progress, GroupCommit commits) {
    this.store = store;
    this.view = view;
    this.engine = engine;
    this.deep = deep;
    this.ctx = ctx;
    this.progress = progress;
    this.commits = commits;
  }

  /** @param itemCount the account's live items when the scan started, for progress */
  Outcome scan(Account a, boolean excluded, int itemCount) throws IOException {
    ctx.checkStopped();
    return engine.withHistory(a.id(), h -> excluded ? exclude(a, h, itemCount) : scan(a, h, itemCount));
  }

  /** Whether nothing happened to the account since the backup's last position that the backup lacks. */
  private boolean upToDate(Account a, AccountHistory h, Stored stored) throws IOException {
    SnapshotHead last = h.lastHead();
    if (deep || last == null || last.deleted() || last.uncertain() || (last.withoutContent() && !engine.bloblessMode())) {
      return false;
    }
    long changed = view.lastChange(a.id(), stored);
    if (changed <= last.seq()) {
      return true;
    }
    // A later scan position is read from the end of items.log, not by loading every state.
    long position = h.lastPosition();
    if (position >= 0) {
      return changed <= position;
    }
    return changed <= h.currentHead().seq();
  }

  /**
   * Stores the content the store reads while bringing the account up to date (new messages), as
   * it reads it: the compare below then finds their blobs there and reads them no more. Those
   * reads are paced as they are asked for, and count as items the compare need not pace again.
   */
  private final class Stored implements ScanView.ContentSink {
    final String account;
    long bytesRead;
    long blobsWritten;
    long bytesStored;
    /** Touched only by the thread that asked (beforeRead), never by content's. */
    long pacedAhead;

    Stored(String account) {
      this.account = account;
    }

    @Override
    public int beforeRead(int messages) {
      int n = ctx.beforeItems(messages);
      pacedAhead += n;
      return n;
    }

    /**
     * Paces the compare's next item, unless a read of the store's was paced for one already: one
     * permit per item, also in a deep scan, whose compare reads again what the pass read.
     */
    void beforeItem() {
      if (pacedAhead == 0) {
        ctx.beforeItem();
      } else {
        pacedAhead--;
        ctx.checkStopped();
      }
    }

    @Override
    public void content(String digest, byte[] raw) {
      BlobPacks blobs = engine.blobs();
      if (engine.bloblessMode() || blobs.has(digest)) {
        return;
      }
      bytesRead += raw.length;
      progress.advance(account, 0, raw.length);
      byte[] z = blobs.compress(raw);
      try {
        if (blobs.put(digest, raw.length, z)) {
          blobsWritten++;
          bytesStored += z.length;
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private Outcome scan(Account a, AccountHistory h, int itemCount) throws IOException {
    Map<String, Long> c = new LinkedHashMap<>();
    Stored sink = new Stored(a.name());
    boolean upToDate;
    try {
      upToDate = upToDate(a, h, sink);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    if (upToDate) {
      long n = itemCount;
      c.put("accountsSkipped", 1L);
      c.put("itemsUnchanged", n);
      progress.advance(a.name(), n, 0);
      return new Outcome(null, c, List.of());
    }
    boolean blobless = engine.bloblessMode();
    BlobPacks blobs = engine.blobs();
    // Items the store has not changed since the last snapshot's position are as the backup has
    // them, when that snapshot vouches for every state (not uncertain): only the others are compared.
    SnapshotHead last = h.currentHead();
    long unchangedUpTo = deep || last == null || last.uncertain() || last.deleted() ? -1 : last.seq();
    MailboxSnapshot snap;
    try {
      snap = view.snapshot(a.id(), sink);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    // Milliseconds are enough for a scan's date, and keep every state's line shorter.
    Instant now = ctx.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    List<ItemState> changed = new ArrayList<>();
    List<Unrestored> unreadable = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    long bytesRead = sink.bytesRead;
    long stored = sink.bytesStored;
    if (sink.blobsWritten > 0) {
      c.put("blobsWritten", sink.blobsWritten);
    }
    boolean withoutContent = false;
    for (Item i : snap.items()) {
      ItemState prev = h.latest(i.id());
      boolean unchanged = i.modSeq() <= unchangedUpTo && prev != null && !prev.deleted() && !prev.blobless()
          && prev.digest().equals(i.digest());
      boolean have = !unchanged && blobs.has(i.digest());
      boolean reads = !unchanged && (deep || (!have && !blobless));
      sink.beforeItem();
      seen.add(i.id());
      // Per item: operators watch progress, and the queue throttles what it publishes.
      progress.advance(a.name(), 1, 0);
      if (unchanged) {
        c.merge("itemsUnchanged", 1L, Long::sum);
        continue;
      }
      if (reads) {
        byte[] raw;
        try {
          raw = store.content(a.id(), i.id());
        } catch (RuntimeException e) {
          unreadable.add(new Unrestored(a.name(), i.id(), "read error: " + e.getMessage()));
          continue;
        }
        bytesRead += raw.length;
        // The byte count follows the items as they are read, not only the account's end.
        progress.advance(a.name(), 0, raw.length);
        if (!BlobCodec.sha256(raw).equals(i.digest())) {
          unreadable.add(new Unrestored(a.name(), i.id(), "broken item: content does not match its digest"));
          continue;
        }
        if (have && deep) {
          // A deep scan also proves the backup's copy: damage found here starts a coherency check.
          blobs.read(i.digest());
        } else if (!have && !blobless) {
          byte[] z = blobs.compress(raw);
          if (blobs.put(i.digest(), raw.length, z)) {
            c.merge("blobsWritten", 1L, Long::sum);
            stored += z.length;
          }
          have = true;
        }
      }
      ItemState now1 = ItemState.of(i, snap.seq(), now, !have);
      withoutContent |= !have;
      if (now1.sameAs(prev)) {
        c.merge("itemsUnchanged", 1L, Long::sum);
      } else {
        changed.add(now1);
        c.merge(prev == null || prev.deleted() ? "itemsNew" : "itemsChanged", 1L, Long::sum);
      }
    }
    for (ItemState prev : h.latestStates()) {
      if (!prev.deleted() && !seen.contains(prev.id())) {
        changed.add(prev.asDeleted(snap.seq(), now));
        c.merge("itemsDeleted", 1L, Long::sum);
      }
    }
    // The group commit keeps the crash-safety order: blobs, then the states naming them, then
    // the snapshot that lets the next scan skip this account.
    String uncertain = unreadable.isEmpty() ? null : unreadable.size() + " item(s) could not be read";
    commits.submit(new AccountCommit(a.id(), a.name(), h, changed, new AccountSnapshot(snap.account(),
        snap.folders(), snap.grants(), false, null, uncertain, withoutContent, snap.seq(), now)));
    c.merge("accountsScanned", 1L, Long::sum);
    c.merge("bytesRead", bytesRead, Long::sum);
    c.merge("bytesStored", stored, Long::sum);
    return new Outcome(a.id(), c, unreadable);
  }

  /** An account of a COS with backup disabled is treated as deleted, so purge ages it out. */
  private Outcome exclude(Account a, AccountHistory h, int itemCount) throws IOException {
    Map<String, Long> c = new LinkedHashMap<>();
    SnapshotHead last = h.lastHead();
    long n = itemCount;
    c.put("accountsExcluded", 1L);
    progress.advance(a.name(), n, 0);
    if (last != null && last.deleted() && last.excluded()) {
      return new Outcome(null, c, List.of());
    }
    MailboxSnapshot snap = store.snapshot(a.id());
    Instant now = ctx.clock().instant();
    List<ItemState> gone = new ArrayList<>();
    for (ItemState s : h.latestStates()) {
      if (!s.deleted()) {
        gone.add(s.asDeleted(snap.seq(), now));
      }
    }
    c.put("itemsDeleted", (long) gone.size());
    commits.submit(new AccountCommit(a.id(), a.name(), h, gone, new AccountSnapshot(snap.account(),
        snap.folders(), snap.grants(), true, CosBackupMarker.reason(a.cos()), null, false, snap.seq(), now)));
    return new Outcome(a.id(), c, List.of());
  }
}
