package io.storefleet.worker.restore;

import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.backup.scan.ScanTask;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.store.MailStore;
import java.time.Clock;
import java.util.function.Function;

/**
 * What the restore commands of one worker use: the backup side of the worker, and its links to
 * the rest of the cluster.
 *
 * @param backup the worker's store and backup engine
 * @param clock the injected clock
 * @param realtime the real-time scanner, caught up before a restore reads an account (null: none)
 * @param accountScan the account scan a restore runs first when the backup cannot vouch for the account
 * @param directory the cluster's account directory
 * @param remoteShares grants on other servers, for restored mountpoints
 */
public record RestoreContext(LocalBackup backup, Clock clock, RealtimeScanner realtime,
    Function<String, ScanTask> accountScan, AccountDirectory directory, RemoteShares remoteShares) {

  MailStore store() {
    return backup.store();
  }

  String serverId() {
    return backup.serverId();
  }
}
