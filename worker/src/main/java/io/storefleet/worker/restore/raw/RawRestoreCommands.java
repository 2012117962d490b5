package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.cluster.ClusterPeers;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.store.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The disaster-recovery commands: {@code doRawRestore} (metadata with the original ids) and
 * {@code doRestoreBlobs} (the contents, dry run unless told otherwise). Both are queued. Their
 * {@code notifications} parameter is accepted and left to the operation queue.
 */
public final class RawRestoreCommands {
  static final int MAX_THREADS = 64;

  private RawRestoreCommands() {}

  /**
   * @param realtime this server's real-time scanner (null: none), caught up before the restore
   * @param peers the other servers of the cluster
   * @param remote the off-site copy, the source {@code blobs_archive} names
   */
  public static void register(CommandRegistry registry, LocalBackup backup, RealtimeScanner realtime,
      ClusterPeers peers, RemoteCopy remote) {
    registry.queued(BackupCommand.DO_RAW_RESTORE, QueuedCommand.of(
        cmd -> requireBackupPath(backup, cmd.required("source_path"), "source_path"),
        cmd -> new RawRestoreTask(backup, realtime, peers, cmd.required("source_path"), cmd.bool("skipProvisioning"),
            cmd.bool("deleteWhenConflict"))));
    registry.queued(BackupCommand.DO_RESTORE_BLOBS, QueuedCommand.of(
        cmd -> {
          volume(backup, cmd);
          threads(backup, cmd);
          if (cmd.has("backup_path")) {
            requireBackupPath(backup, cmd.string("backup_path"), "backup_path");
          }
          if (cmd.has("blobs_archive")) {
            if (cmd.has("backup_path")) {
              throw ErrorCode.BAD_VALUE.exception("doRestoreBlobs takes its blobs from backup_path or from"
                  + " blobs_archive, not both; give one", backup.serverId());
            }
            remote.validateArchive(cmd.string("blobs_archive"), backup.serverId());
          }
        },
        cmd -> new BlobRestoreTask(backup, volume(backup, cmd), cmd.string("backup_path"), cmd.bool("dryrun"),
            threads(backup, cmd), cmd.has("blobs_archive") ? cmd.string("blobs_archive") : null, remote)));
  }

  private static void requireBackupPath(LocalBackup backup, String given, String param) {
    Path p = backup.paths().check(given, param);
    if (!Files.isRegularFile(p.resolve(BackupPath.MARKER))) {
      throw ErrorCode.NOT_FOUND.exception(param + " " + given + " is not a storefleet backup path (no "
          + BackupPath.MARKER + " in it); give the folder that holds it", backup.serverId());
    }
  }

  private static int volume(LocalBackup backup, ParsedCommand cmd) {
    String given = cmd.required("volume_id").trim();
    List<Volume> volumes = backup.store().volumes();
    String known = String.join(", ", volumes.stream().map(v -> v.id() + " (" + v.name() + ", " + v.location() + ")")
        .toList());
    int id;
    try {
      id = Integer.parseInt(given);
    } catch (NumberFormatException e) {
      throw ErrorCode.BAD_VALUE.exception("doRestoreBlobs volume_id '" + given + "' is not a volume id; this server's"
          + " volumes are " + known, backup.serverId());
    }
    if (volumes.stream().noneMatch(v -> v.id() == id)) {
      throw ErrorCode.NOT_FOUND.exception("volume " + id + " does not exist on server " + backup.serverId()
          + "; its volumes are " + known, backup.serverId());
    }
    return id;
  }

  private static int threads(LocalBackup backup, ParsedCommand cmd) {
    long n = cmd.integer("threads", 4);
    if (n < 1 || n > MAX_THREADS) {
      throw ErrorCode.BAD_VALUE.exception("doRestoreBlobs threads " + n + " is out of range; give 1 to "
          + MAX_THREADS, backup.serverId());
    }
    return (int) n;
  }
}
