package io.storefleet.worker.backup;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.MailStore;

/** Registers doSmartScan and doAccountScan. */
public final class ScanCommands {
  private ScanCommands() {}

  public static void register(CommandRegistry registry, MailStore store, BackupPath backup, String serverId) {
    registry.queued(
        Module.BACKUP,
        "doSmartScan",
        new QueuedCommand() {
          @Override
          public void validate(ParsedCommand cmd) {
            refuseUnbuilt(cmd, serverId);
          }

          @Override
          public OperationTask task(ParsedCommand cmd, Operation op) {
            return new ScanTask(store, backup, null, cmd.bool("deep"));
          }
        });
    registry.queued(
        Module.BACKUP,
        "doAccountScan",
        new QueuedCommand() {
          @Override
          public void validate(ParsedCommand cmd) {
            refuseUnbuilt(cmd, serverId);
            String name = cmd.required("account");
            if (store.account(name).isEmpty()) {
              throw ErrorCode.UNKNOWN_ACCOUNT.exception("account " + name + " is not on server " + serverId, serverId);
            }
          }

          @Override
          public OperationTask task(ParsedCommand cmd, Operation op) {
            return new ScanTask(store, backup, cmd.required("account"), cmd.bool("deep"));
          }
        });
  }

  /**
   * Parameters the catalogue knows but this version does not act on are refused, not ignored:
   * a scan that silently skipped the notifications it was asked for would report a success it
   * did not achieve.
   */
  static void refuseUnbuilt(ParsedCommand cmd, String serverId) {
    for (String p : java.util.List.of("notifications", "read_error_threshold")) {
      if (cmd.has(p)) {
        throw ErrorCode.NOT_IMPLEMENTED.exception(
            cmd.name() + " parameter " + p + " is not implemented in this version; run it without " + p, serverId);
      }
    }
    for (String p : java.util.List.of("remote_metadata_upload", "create_fake_blob")) {
      if (cmd.bool(p)) {
        throw ErrorCode.NOT_IMPLEMENTED.exception(
            cmd.name() + " parameter " + p + " true is not implemented in this version; leave it false", serverId);
      }
    }
  }
}
