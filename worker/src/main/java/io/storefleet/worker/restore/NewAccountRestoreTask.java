package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * doRestoreOnNewAccount and doRestoreDeletedAccount: the source account as it was at one point
 * (a date, the latest data, or just before its deletion) into a new account created on this
 * server, folders, items, flags, tags, preferences and shares included. The new account carries
 * a {@link RestoreMarker}, so running the same restore again continues into it.
 */
final class NewAccountRestoreTask implements OperationTask {
  static final String HIDE_IN_GAL = "zimbraHideInGal";

  /**
   * What to restore.
   *
   * @param source the source account (name or id; for a deleted one, the backup's)
   * @param destination the new account's name
   * @param date the point for doRestoreOnNewAccount; null for the deleted account's last state
   * @param hideInGal whether the new account is hidden from the GAL
   * @param undelete also items deleted from {@code undeleteStart} up to the point
   * @param undeleteStart the oldest deletion to bring back, or null for {@code first}
   * @param backupPath another backup path to read ({@code backup_path}), or null: this server's
   * @param blobsArchive the off-site copy the contents are read from ({@code blobs_archive}), or
   *     null: the packs of the backup path read
   */
  record Request(String source, String destination, DateArg date, boolean hideInGal, boolean undelete,
      DateArg undeleteStart, String backupPath, String blobsArchive) {
    boolean deletedAccount() {
      return date == null;
    }

    String requested() {
      return deletedAccount() ? "deleted" : date.toString();
    }

    /** Whether the restore reads something else than this server's backup path as it is now. */
    boolean elsewhere() {
      return backupPath != null || blobsArchive != null;
    }
  }

  /** The point restored: the snapshot of folders and shares, and every item's state then. */
  private record Point(AccountSnapshot snapshot, Map<Integer, ItemState> items, String resolved, String shown) {}

  private final RestoreContext rc;
  private final Request req;
  private final RemoteCopy remote;

  NewAccountRestoreTask(RestoreContext rc, Request req, RemoteCopy remote) {
    this.rc = rc;
    this.req = req;
    this.remote = remote;
  }

  @Override
  public OperationStats run(OperationContext ctx) throws Exception {
    if (!req.elsewhere()) {
      return restore(rc.backup().engine(), BlobReader.of(rc.backup().engine()), ctx);
    }
    return rc.backup().onBackupPath(req.backupPath(), "backup_path", engine -> {
      try (BlobReader blobs = req.blobsArchive() == null ? BlobReader.of(engine) : remote.blobs(req.blobsArchive())) {
        return restore(engine, blobs, ctx);
      }
    });
  }

  private OperationStats restore(BackupEngine engine, BlobReader blobs, OperationContext ctx) throws IOException {
    String sourceId = req.deletedAccount() ? BackupAccounts.deleted(rc, req.source())
        : req.backupPath() != null ? BackupAccounts.inPath(rc, engine, req.source())
        : BackupAccounts.inBackup(rc, req.source());
    // Another path, or contents from the off-site copy: what they hold is restored as it is (a
    // catch-up scan would record changes whose contents the copy does not have).
    boolean scanned = !req.deletedAccount() && !req.elsewhere() && BackupCatchUp.before(rc, ctx, sourceId);
    ctx.progress("reading the backup", 0, -1, 0);
    Optional<Account> existing = rc.store().account(req.destination());
    Optional<RestoreMarker> resumed = existing.isEmpty() ? Optional.empty()
        : Optional.of(resumable(existing.get(), sourceId));
    BackupTimeline timeline = BackupTimeline.read(engine, sourceId);
    Point point = req.deletedAccount() ? beforeDeletion(timeline) : atDate(timeline, resumed);
    Account target;
    if (existing.isPresent()) {
      target = existing.get();
      // The first run may have ended between creating the account and publishing it.
      rc.directory().publish(target);
    } else {
      target = create(point, new RestoreMarker(sourceId, req.requested(), point.resolved()));
    }
    RestorePlan plan = plan(timeline, point);
    String source = point.snapshot().account().name();
    return new RestoreRun(rc, ctx, target, source)
        .readingFrom(engine, blobs)
        .about(source + " " + point.shown() + (req.elsewhere() ? ", read from " + engine.path().root()
            + (req.blobsArchive() == null ? "" : " with its contents from " + blobs.describe()) : ""))
        .count("accountScans", scanned ? 1 : 0)
        .count("accountCreated", existing.isPresent() ? 0 : 1)
        .run(plan, point.snapshot(), sourceId);
  }

  /** An existing destination is continued into only if this same restore created it. */
  private RestoreMarker resumable(Account a, String sourceId) {
    Optional<RestoreMarker> m = RestoreMarker.of(a);
    if (m.isEmpty() || !m.get().sameRestore(sourceId, req.requested())) {
      throw ErrorCode.ALREADY_EXISTS.exception("account " + a.name() + " already exists on server " + rc.serverId()
          + (m.isPresent() ? " and holds another restore (" + m.get().value() + ")" : "")
          + "; choose a new destination_account, or delete it with 'storefleet admin deleteAccount " + a.name()
          + "' if it may go", rc.serverId());
    }
    return m.get();
  }

  private Point atDate(BackupTimeline timeline, Optional<RestoreMarker> resumed) {
    Instant at;
    if (resumed.isPresent()) {
      at = Instant.parse(resumed.get().resolved());
    } else {
      at = req.date().is("last") ? rc.clock().instant() : BackupAccounts.instant(req.date(), rc.clock());
    }
    AccountSnapshot snap = restorableAt(rc, req.source(), timeline, at);
    return new Point(snap, timeline.itemsAt(at), at.toString(), "as it was at " + BackupAccounts.shown(at, rc.clock()));
  }

  /**
   * The account's snapshot at {@code at}, or the definite error saying why it cannot be restored
   * as it was then. Checked at submit too, so a date before the first backup is refused at once.
   */
  static AccountSnapshot restorableAt(RestoreContext rc, String source, BackupTimeline timeline, Instant at) {
    String shown = BackupAccounts.shown(at, rc.clock());
    AccountSnapshot snap = timeline.snapshotAt(at).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "account " + source + " was not in the backup yet at " + shown
            + first(rc, timeline) + "; choose a later date", rc.serverId()));
    if (snap.deleted()) {
      throw ErrorCode.CONFLICT.exception("account " + source + " was "
          + (snap.excluded() != null ? "excluded from the backup (" + snap.excluded() + ")" : "deleted")
          + " at " + shown + "; choose an earlier date"
          + (snap.excluded() == null ? ", or restore it as it was when deleted with doRestoreDeletedAccount" : ""),
          rc.serverId());
    }
    return snap;
  }

  private static String first(RestoreContext rc, BackupTimeline timeline) {
    return timeline.snapshots().isEmpty() ? ""
        : "; its first record is from " + BackupAccounts.shown(timeline.snapshots().get(0).at(), rc.clock());
  }

  private Point beforeDeletion(BackupTimeline timeline) {
    AccountSnapshot deletion = timeline.deletion().orElseThrow(() -> ErrorCode.CONFLICT.exception(
        "account " + req.source() + " is not deleted in the backup of " + rc.serverId(), rc.serverId()));
    AccountSnapshot before = timeline.before(deletion).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "account " + req.source() + " was deleted before the backup recorded it; there is nothing to restore",
        rc.serverId()));
    return new Point(before, timeline.itemsBefore(deletion.seq()), "seq:" + deletion.seq(),
        "as it was when deleted at " + BackupAccounts.shown(deletion.at(), rc.clock()));
  }

  private Account create(Point point, RestoreMarker marker) {
    Account src = point.snapshot().account();
    Map<String, String> attrs = new LinkedHashMap<>(src.attributes());
    attrs.put(RestoreMarker.ATTRIBUTE, marker.value());
    if (req.hideInGal()) {
      attrs.put(HIDE_IN_GAL, "TRUE");
    }
    NewAccountChecks.destinationFree(rc, req.destination());
    String cos = rc.store().cos(src.cos()).isPresent() ? src.cos() : null;
    Account a = rc.store().createAccount(req.destination(), cos, attrs);
    rc.directory().publish(a);
    return a;
  }

  private RestorePlan plan(BackupTimeline timeline, Point point) {
    Map<Integer, Folder> folders = timeline.folderIndex(point.snapshot());
    List<FolderTarget> tree = new ArrayList<>();
    for (Folder f : point.snapshot().folders()) {
      if (!f.isMountpoint()) {
        tree.add(FolderTarget.path(f.path(), f.view()));
      }
    }
    Instant undeleteFrom = BackupAccounts.instant(req.undeleteStart(), rc.clock());
    List<PlannedItem> items = new ArrayList<>();
    for (ItemState s : point.items().values()) {
      boolean brought = !s.deleted() || (req.undelete() && (undeleteFrom == null || !s.since().isBefore(undeleteFrom)));
      if (!brought) {
        continue;
      }
      Folder f = folders.get(s.folderId());
      FolderTarget t = f == null || f.isMountpoint()
          ? FolderTarget.path(OriginalFolder.UNKNOWN, FolderTarget.viewFor(s.type()))
          : FolderTarget.path(f.path(), f.view());
      items.add(new PlannedItem(s, t, s.deleted() ? PlannedItem.visible(s) : s.flags()));
    }
    items.sort((a, b) -> Integer.compare(a.state().id(), b.state().id()));
    return new RestorePlan(tree, items, true);
  }
}
