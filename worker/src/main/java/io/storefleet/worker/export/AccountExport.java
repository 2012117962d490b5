package io.storefleet.worker.export;

import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.AccountCommit;
import io.storefleet.worker.backup.format.AccountHistory;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one account's current mailbox into the export, committed as a scan commits an account
 * ({@link AccountCommit}: blobs, then item states, then the account snapshot), its blobs
 * compressed with the export path's own dictionary when it has one. An account a stopped run left half written
 * (states without a snapshot) gets only the states it lacks, so a resumed export holds what an
 * uninterrupted one would.
 */
final class AccountExport {
  /** What exporting one account did. */
  record Outcome(long items, long blobsWritten, long bytesRead, long bytesStored, long seq,
      List<Unrestored> unreadable) {}

  private final MailStore store;
  private final BackupEngine out;
  private final OperationContext ctx;
  private final ExportProgress progress;
  private final boolean skipItems;

  AccountExport(MailStore store, BackupEngine out, OperationContext ctx, ExportProgress progress, boolean skipItems) {
    this.store = store;
    this.out = out;
    this.ctx = ctx;
    this.progress = progress;
    this.skipItems = skipItems;
  }

  /** Whether an earlier run committed this account completely. */
  boolean committed(String accountId) throws IOException {
    if (!out.knows(accountId)) {
      return false;
    }
    return out.withHistory(accountId, h -> h.lastSnapshot() != null);
  }

  Outcome export(Account a) throws IOException {
    MailboxSnapshot snap = store.snapshot(a.id());
    Instant now = ctx.clock().instant();
    return out.withHistory(a.id(), h -> write(a, snap, h, now));
  }

  private Outcome write(Account a, MailboxSnapshot snap, AccountHistory h, Instant now) throws IOException {
    BlobPacks blobs = out.blobs();
    List<ItemState> states = new ArrayList<>();
    List<Unrestored> unreadable = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    long blobsWritten = 0;
    long bytesRead = 0;
    long bytesStored = 0;
    long exported = 0;
    for (Item i : skipItems ? List.<Item>of() : snap.items()) {
      ctx.beforeItem();
      seen.add(i.id());
      if (!blobs.has(i.digest())) {
        byte[] raw;
        try {
          raw = store.content(a.id(), i.id());
        } catch (RuntimeException e) {
          unreadable.add(new Unrestored(a.name(), i.id(), "read error: " + e.getMessage()));
          progress.advance(a.name(), 1, 0);
          continue;
        }
        bytesRead += raw.length;
        if (!BlobCodec.sha256(raw).equals(i.digest())) {
          unreadable.add(new Unrestored(a.name(), i.id(), "broken item: content does not match its digest"));
          progress.advance(a.name(), 1, raw.length);
          continue;
        }
        byte[] z = blobs.compress(raw);
        if (blobs.put(i.digest(), raw.length, z)) {
          blobsWritten++;
          bytesStored += z.length;
        }
        progress.advance(a.name(), 1, raw.length);
      } else {
        progress.advance(a.name(), 1, 0);
      }
      exported++;
      // The item's own modification time: the same item gets the same state in any run.
      Instant since = i.modifiedAt() != null ? i.modifiedAt() : now;
      ItemState s = ItemState.of(i, snap.seq(), since, false);
      if (!s.sameAs(h.latest(i.id()))) {
        states.add(s);
      }
    }
    // States a stopped run wrote for items the mailbox no longer has.
    for (ItemState prev : h.latestStates()) {
      if (!prev.deleted() && !seen.contains(prev.id())) {
        states.add(prev.asDeleted(snap.seq(), now));
      }
    }
    String uncertain = unreadable.isEmpty() ? null : unreadable.size() + " item(s) could not be read";
    out.commit(AccountCommit.of(h, states, new AccountSnapshot(snap.account(), snap.folders(), snap.grants(), false,
        null, uncertain, false, snap.seq(), now)));
    return new Outcome(exported, blobsWritten, bytesRead, bytesStored, snap.seq(), unreadable);
  }
}
