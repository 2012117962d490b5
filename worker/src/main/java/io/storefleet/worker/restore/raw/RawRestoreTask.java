package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.cluster.ClusterPeers;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * doRawRestore: rebuilds this server's store from a backup path, keeping every original id.
 *
 * <ol>
 *   <li>Read the backup: each account at its restore point (see {@link BackupReading}), and the
 *       highest journal position anything in it (or in this server's own backup) refers to.
 *   <li>Continue the store's journal past that position, so that the backup (and any follower
 *       that kept its place) takes every later change for a new one.
 *   <li>Unless {@code skipProvisioning}: domains, classes of service and lists, here with their
 *       recorded ids and on every other server of the cluster.
 *   <li>Every account the backup has alive: account, folders, item metadata, grants. Contents
 *       stay behind: doRestoreBlobs brings them.
 *   <li>Publish the accounts to the cluster directory, then read every restored mailbox back and
 *       compare it with the backup.
 * </ol>
 */
final class RawRestoreTask implements OperationTask {
  private record Restored(RecordedAccount account, MailboxRestore.Outcome outcome) {}

  private final LocalBackup backup;
  private final RealtimeScanner realtime;
  private final ClusterPeers peers;
  private final String sourcePath;
  private final boolean skipProvisioning;
  private final boolean deleteWhenConflict;

  RawRestoreTask(LocalBackup backup, RealtimeScanner realtime, ClusterPeers peers, String sourcePath, boolean skipProvisioning,
      boolean deleteWhenConflict) {
    this.backup = backup;
    this.realtime = realtime;
    this.peers = peers;
    this.sourcePath = sourcePath;
    this.skipProvisioning = skipProvisioning;
    this.deleteWhenConflict = deleteWhenConflict;
  }

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    return backup.onBackupPath(sourcePath, "source_path", engine -> restore(engine, ctx));
  }

  private OperationStats restore(BackupEngine engine, OperationContext ctx) throws IOException {
    MailStore store = backup.store();
    RestoreTally tally = new RestoreTally("accountsRestored", "accountsCompleted", "accountsRefused",
        "accountsDeletedInBackup", "foldersRestored", "grantsRestored", "mailboxesDeleted", "provisioningRestored",
        "provisioningSkipped", "provisioningPushed", "serversProvisioned", "journalPosition");
    BackupReading source = new BackupReading(engine);

    long cut = JournalCut.previous(store);
    Map<String, RecordedAccount> accounts = new LinkedHashMap<>();
    long highest = read(source, cut, accounts, ctx);
    highest = Math.max(highest, ownPositions(engine, ctx));

    ctx.progress("continuing the store journal", 0, -1, 0);
    long before = store.lastSequence();
    long after = store.advanceJournal(highest);
    tally.add("journalPosition", after);
    if (after > before) {
      // From here on the backup also receives the echo of this restore, at or above the advance.
      if (cut != JournalCut.NONE) {
        // A second rebuild, from a backup that reaches past the first one: all of it counts now.
        accounts.clear();
        read(source, after, accounts, ctx);
      }
      cut = after;
    }

    List<String> remarks = new ArrayList<>();
    if (skipProvisioning) {
      remarks.add("provisioning skipped");
    } else {
      ctx.checkStopped();
      ctx.progress("restoring provisioning", 0, -1, 0);
      Optional<ProvisioningSnapshot> p = source.provisioning(cut);
      if (p.isPresent()) {
        new ProvisioningRestore(store, peers, tally).restore(p.get());
      } else {
        remarks.add("the backup holds no provisioning record, so none was restored");
      }
    }

    List<RecordedAccount> alive = new ArrayList<>();
    for (RecordedAccount r : accounts.values()) {
      if (r.deleted()) {
        tally.add("accountsDeletedInBackup", 1);
      } else {
        alive.add(r);
      }
    }
    alive.sort(Comparator.comparing(r -> r.account().name()));
    long total = alive.stream().mapToLong(r -> r.items().size() + r.folders().stream()
        .filter(f -> f.id() >= Folder.FIRST_USER_ID).count()).sum();
    ItemProgress progress = new ItemProgress(ctx, "restoring", total);
    MailboxRestore mailboxes = new MailboxRestore(store, peers, deleteWhenConflict, this::settleFollowers, tally,
        skipProvisioning
            ? "with skipProvisioning true it must already be here: run the full doRawRestore (skipProvisioning"
                + " false) on the first server while this one is up, then run this one again"
            : "the backup's provisioning record lacks it; create it with 'storefleet admin' and run again");
    List<Restored> outcomes = new ArrayList<>();
    for (RecordedAccount r : alive) {
      ctx.checkStopped();
      outcomes.add(new Restored(r, mailboxes.restore(r, ctx, progress)));
      if (r.uncertain() != null) {
        remarks.add(r.account().name() + ": the backup could not vouch for every item (" + r.uncertain() + ")");
      }
    }

    ctx.progress("publishing accounts", 0, -1, 0);
    try {
      peers.publishAccounts();
    } catch (StorefleetException e) {
      tally.note("the restored accounts could not be published to the cluster directory (" + e.getMessage()
          + "); the worker publishes them again within 30 s");
    }

    List<String> mismatches = new ArrayList<>();
    long verified = 0;
    long done = 0;
    for (Restored e : outcomes) {
      ctx.progress("verifying", done++, outcomes.size(), 0);
      if (e.outcome().refused()) {
        continue;
      }
      mismatches.addAll(RestoreVerifier.verify(store, e.account(), e.outcome().unrestoredIds(),
          e.outcome().unrestoredGrants()));
      verified++;
    }
    ctx.progress("done", outcomes.size(), outcomes.size(), 0);
    return verdict(engine, tally, verified, mismatches, remarks);
  }

  private long read(BackupReading source, long cut, Map<String, RecordedAccount> into, OperationContext ctx)
      throws IOException {
    List<String> ids = source.accountIds();
    long highest = source.highestServerPosition();
    for (int i = 0; i < ids.size(); i++) {
      ctx.checkStopped();
      ctx.progress("reading backup " + source.root(), i, ids.size(), 0);
      BackupReading.Read read = source.account(ids.get(i), cut);
      highest = Math.max(highest, read.highestPosition());
      read.account().ifPresent(r -> into.put(r.account().id(), r));
    }
    return highest;
  }

  /**
   * This server's own backup and real-time scanner follow the store too: when they are not the
   * source, their positions count as well.
   */
  private long ownPositions(BackupEngine source, OperationContext ctx) throws IOException {
    long highest = realtime == null ? 0 : realtime.cursor();
    BackupEngine own = backup.engine();
    if (own == source || sameRoot(own, source)) {
      return highest;
    }
    BackupReading reading = new BackupReading(own);
    highest = Math.max(highest, reading.highestServerPosition());
    for (String id : reading.accountIds()) {
      ctx.checkStopped();
      highest = Math.max(highest, reading.account(id, JournalCut.NONE).highestPosition());
    }
    return highest;
  }

  private static boolean sameRoot(BackupEngine a, BackupEngine b) {
    try {
      return Files.isSameFile(a.path().root(), b.path().root());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** After deleteWhenConflict removed a mailbox whose id is about to come back. */
  private void settleFollowers() {
    if (realtime != null && realtime.running()) {
      try {
        realtime.catchUp();
      } catch (IOException e) {
        throw ErrorCode.IO_ERROR.exception("the real-time scanner could not record the deleted mailbox: "
            + e.getMessage() + "; run doRawRestore again", backup.serverId());
      }
    }
  }

  private OperationStats verdict(BackupEngine engine, RestoreTally tally, long verified, List<String> mismatches,
      List<String> remarks) {
    String source = engine.path().root().toString();
    String extra = remarks.isEmpty() ? "" : " Note: " + String.join("; ", remarks) + ".";
    if (!mismatches.isEmpty()) {
      String verdict = "Raw restore from " + source + " does not match the backup in " + mismatches.size()
          + " place(s): " + String.join("; ", mismatches.subList(0, Math.min(5, mismatches.size())))
          + (mismatches.size() > 5 ? "; ..." : "") + ". Run doRawRestore again (deleteWhenConflict true replaces"
          + " mailboxes that disagree)." + extra;
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, tally.stats(verdict));
    }
    if (!tally.clean()) {
      List<String> parts = new ArrayList<>();
      if (tally.get("accountsRefused") > 0) {
        parts.add(tally.get("accountsRefused") + " account(s) refused");
      }
      if (tally.get("unrestored") > 0) {
        parts.add(tally.get("unrestored") + " item(s) unrestored");
      }
      parts.addAll(tally.notes());
      String verdict = "Raw restore from " + source + " is incomplete: " + String.join("; ", parts)
          + ". Everything else is restored and matches the backup; fix the causes listed and run doRawRestore"
          + " again, what is there is skipped." + extra;
      boolean onlyConflicts = tally.notes().isEmpty()
          && tally.unrestored().stream().allMatch(u -> u.cause().startsWith("conflict:"));
      ErrorCode code = onlyConflicts ? ErrorCode.CONFLICT : ErrorCode.IO_ERROR;
      throw new OperationFailure(code, verdict, tally.stats(verdict));
    }
    String verdict = "Raw restore from " + source + " verified: " + verified + " account(s) ("
        + tally.get("accountsRestored") + " created, " + tally.get("accountsCompleted") + " already here), "
        + tally.get("restored") + " folder(s) and item(s) restored, " + tally.get("skipped")
        + " already here, all matching the backup with their original ids. Item contents are not restored:"
        + " run 'doRestoreBlobs 1 dryrun false' next." + extra;
    return tally.stats(verdict);
  }
}
