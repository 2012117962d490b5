package io.storefleet.worker.restore;

import io.storefleet.worker.backup.BackupContext;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.store.MailStore;

/**
 * What the restore commands of one worker share: the backup side of the worker, and its links to
 * the rest of the cluster.
 *
 * @param backup the worker's store, backup engine, clock and real-time scanner
 * @param directory the cluster's account directory
 * @param remoteShares grants on other servers, for restored mountpoints
 */
public record RestoreContext(BackupContext backup, AccountDirectory directory, RemoteShares remoteShares) {

  MailStore store() {
    return backup.store();
  }

  String serverId() {
    return backup.serverId();
  }
}
