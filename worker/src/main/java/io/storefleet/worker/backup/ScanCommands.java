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
    registry.queued(Module.BACKUP, "doSmartScan", (cmd, op) -> new ScanTask(store, backup, null, cmd.bool("deep")));
    registry.queued(
        Module.BACKUP,
        "doAccountScan",
        new QueuedCommand() {
          @Override
          public void validate(ParsedCommand cmd) {
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
}
