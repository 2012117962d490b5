package io.storefleet.worker.imports;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.export.ExportMarker;
import io.storefleet.worker.queue.OperationTask;
import java.io.IOException;

/**
 * Registers doExternalRestore. The source, the names in the filters and the numbers are checked
 * before the operation is queued, so that a typo fails at once and nothing is half-created.
 */
public final class ImportOperations implements QueuedCommand {
  private final LocalBackup b;
  private final AccountDirectory cluster;
  private final RemoteCopy remote;

  private ImportOperations(LocalBackup b, AccountDirectory cluster, RemoteCopy remote) {
    this.b = b;
    this.cluster = cluster;
    this.remote = remote;
  }

  /** @param remote the off-site copy, the blob source {@code blobs_archive} names */
  public static void register(CommandRegistry registry, LocalBackup b, AccountDirectory cluster, RemoteCopy remote) {
    registry.queued(BackupCommand.DO_EXTERNAL_RESTORE, new ImportOperations(b, cluster, remote));
  }

  @Override
  public void validate(ParsedCommand cmd) {
    ImportOptions opt = ImportOptions.of(cmd, b.paths(), b.serverId());
    if (opt.blobsArchive() != null) {
      remote.validateArchive(opt.blobsArchive(), b.serverId());
    }
    ExportMarker export = ImportSource.check(opt.source(), b.serverId());
    try {
      b.onBackupPath(opt.source().toString(), "source_path", engine -> {
        ImportSource src = new ImportSource(opt.source(), engine, export);
        refuseOwnServer(src, opt, b.serverId());
        return ImportSelection.of(src, opt, b.serverId());
      });
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("doExternalRestore source_path " + opt.source() + " cannot be read: "
          + e.getMessage(), b.serverId());
    }
  }

  @Override
  public OperationTask task(ParsedCommand cmd, Operation op) {
    return new ExternalRestoreTask(b, ImportOptions.of(cmd, b.paths(), b.serverId()), cluster, remote);
  }

  /** An external restore brings another server's data; its own needs the explicit switch. */
  static void refuseOwnServer(ImportSource src, ImportOptions opt, String serverId) {
    if (src.serverId().equals(serverId) && !opt.forceAsExternal()) {
      throw ErrorCode.CONFLICT.exception("doExternalRestore source_path " + src.root() + " holds data of this server ("
          + serverId + "); an external restore imports another server's data. Set force_as_external_restore true to"
          + " import it anyway (accounts that are here are used as they are, their missing items are added)",
          serverId);
    }
  }
}
