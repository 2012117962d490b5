package io.storefleet.worker.export;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.queue.OperationTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Registers doExport: checks what can be checked before queuing, builds the task when it runs. */
public final class ExportOperations implements QueuedCommand {
  private final LocalBackup b;
  private final AccountDirectory cluster;

  private ExportOperations(LocalBackup b, AccountDirectory cluster) {
    this.b = b;
    this.cluster = cluster;
  }

  public static void register(CommandRegistry registry, LocalBackup b, AccountDirectory cluster) {
    registry.queued(BackupCommand.DO_EXPORT, new ExportOperations(b, cluster));
  }

  @Override
  public void validate(ParsedCommand cmd) {
    Path dest = destination(cmd);
    ExportSelection sel = selection(cmd);
    ExportMarker resume = ExportDestination.inspect(dest, b.serverId()).resume();
    if (resume != null && !resume.sameSelection(sel)) {
      throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " holds an unfinished export of "
          + resume.describeSelection() + "; re-run doExport with the same domains, cos and skip_items to resume it,"
          + " or give an empty folder", b.serverId());
    }
  }

  @Override
  public OperationTask task(ParsedCommand cmd, Operation op) {
    // A part of a planned export: the other servers' accounts are in the plan's other parts.
    AccountDirectory others = cmd.has("plan") ? AccountDirectory.NONE : cluster;
    return new ExportTask(b.store(), b.serverId(), destination(cmd), selection(cmd), readErrorThreshold(cmd),
        b.engine().blobs()::dictionary, others);
  }

  private Path destination(ParsedCommand cmd) {
    if (cmd.has("threshold")) {
      throw ErrorCode.NOT_IMPLEMENTED.exception(
          "doExport parameter threshold is not implemented in this version; run it without threshold", b.serverId());
    }
    readErrorThreshold(cmd);
    Path dest = b.paths().check(cmd.required("destination_path"), "destination_path");
    Path own = b.engine().path().root().toAbsolutePath().normalize();
    if (dest.startsWith(own) || own.startsWith(dest) || sameFile(dest, own)) {
      throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " overlaps server " + b.serverId()
          + "'s own backup path " + own + "; give a folder outside it", b.serverId());
    }
    return dest;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(a) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private ExportSelection selection(ParsedCommand cmd) {
    return ExportSelection.of(cmd.list("domains"), cmd.list("cos"), cmd.bool("skip_items"), b.store(), b.serverId());
  }

  private Long readErrorThreshold(ParsedCommand cmd) {
    if (!cmd.has("read_error_threshold")) {
      return null;
    }
    long n = cmd.integer("read_error_threshold", 0);
    if (n < 0) {
      throw ErrorCode.BAD_VALUE.exception("doExport read_error_threshold " + n + " is negative; give 0 (stop at the"
          + " first unreadable item) or more", b.serverId());
    }
    return n;
  }
}
