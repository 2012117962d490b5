package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * doItemRestore: one item, of any type, back into its owner's mailbox as its newest backed-up
 * state, in its original folder (re-created if gone) or in {@code restore_folder}. An item that
 * is still there is skipped.
 */
final class ItemRestoreTask implements OperationTask {
  private final RestoreContext rc;
  private final String account;
  private final int itemId;
  private final String restoreFolder;

  ItemRestoreTask(RestoreContext rc, String account, int itemId, String restoreFolder) {
    this.rc = rc;
    this.account = account;
    this.itemId = itemId;
    this.restoreFolder = restoreFolder;
  }

  static RuntimeException notInBackup(RestoreContext rc, Account owner, int itemId) {
    return ErrorCode.NOT_FOUND.exception("item " + itemId + " of " + owner.name() + " is not in the backup; find items"
        + " with 'storefleet backup doItemSearch " + owner.name() + "'", rc.serverId());
  }

  @Override
  public OperationStats run(OperationContext ctx) throws Exception {
    Account owner = BackupAccounts.live(rc, account);
    boolean scanned = BackupCatchUp.before(rc, ctx, owner.id());
    ctx.progress("reading the backup", 0, 1, 0);
    BackupTimeline timeline = BackupTimeline.read(rc.backup().engine(), owner.id());
    ItemState s = timeline.latest(itemId).orElseThrow(() -> notInBackup(rc, owner, itemId));
    FolderTarget target;
    if (restoreFolder != null) {
      target = FolderTarget.path(restoreFolder, FolderTarget.viewFor(s.type()));
    } else {
      Map<Integer, Folder> live = rc.store().folders(owner.id()).stream()
          .collect(Collectors.toMap(Folder::id, Function.identity()));
      target = OriginalFolder.of(s, live, timeline.foldersAt(s.since()));
    }
    RestorePlan plan = RestorePlan.into(List.of(new PlannedItem(s, target, PlannedItem.visible(s))));
    return new RestoreRun(rc, ctx, owner, owner.name()).count("accountScans", scanned ? 1 : 0)
        .about("item " + itemId + " into " + target.path()).run(plan, null, null);
  }
}
