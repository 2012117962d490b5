package io.storefleet.worker.restore;

import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.scan.ScanTask;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import java.io.IOException;

/**
 * Brings a live account's backup up to its mailbox before a restore reads it: the real-time
 * scanner records what the journal still holds, and an account scan runs when the backup cannot
 * vouch for the account (an emptied folder, an unreadable item: the manual's rule that an account
 * scan runs BEFORE the restore), or when no real-time scanner follows the journal and the account
 * changed since its last scan.
 */
final class BackupCatchUp {
  private BackupCatchUp() {}

  /** @return whether an account scan ran */
  static boolean before(RestoreContext rc, OperationContext ctx, String accountId) throws IOException {
    LocalBackup b = rc.backup();
    boolean following = rc.realtime() != null && rc.realtime().running();
    if (following) {
      ctx.progress("recording the journal into the backup", 0, -1, 0);
      rc.realtime().catchUp();
    }
    if (b.store().account(accountId).isEmpty()) {
      return false;
    }
    AccountSnapshot last = null;
    long recordedUpTo = -1;
    if (b.engine().knows(accountId)) {
      var h = b.engine().history(accountId);
      last = h.lastSnapshot();
      recordedUpTo = h.recordedUpTo();
    }
    boolean needed = last == null || last.uncertain() != null
        || (!following && b.store().lastChange(accountId) > recordedUpTo);
    if (!needed) {
      return false;
    }
    ScanTask scan = rc.accountScan().apply(accountId);
    try {
      scan.run(ctx);
    } catch (OperationFailure f) {
      throw new OperationFailure(f.code(), "the account scan that must run before this restore failed: "
          + f.getMessage(), f.stats());
    }
    return true;
  }
}
