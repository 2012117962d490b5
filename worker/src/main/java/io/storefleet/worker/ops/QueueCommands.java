package io.storefleet.worker.ops;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.queue.OperationQueue;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The queue commands as one server answers them: its own queue. The coordinator aggregates
 * them across servers.
 */
public final class QueueCommands {
  private QueueCommands() {}

  public static void register(CommandRegistry registry, Vertx vertx, OperationQueue queue, Replies replies) {
    registry.immediate(
        BackupCommand.GET_ALL_OPERATIONS,
        // The queue lock is held while a record is synced: never take it on the event loop.
        (cmd, ctx) -> vertx.executeBlocking(() -> {
          List<Operation> ops = queue.list(cmd.bool("verbose"));
          return replies.result(ops, OperationText.table(ops));
        }));
    registry.immediate(
        BackupCommand.MONITOR,
        (cmd, ctx) ->
            vertx.executeBlocking(
                () -> {
                  String uuid = cmd.required("operation_uuid");
                  Operation op =
                      queue
                          .get(uuid)
                          .orElseThrow(
                              () ->
                                  io.storefleet.protocol.error.ErrorCode.UNKNOWN_OPERATION.exception(
                                      "operation " + uuid + " is not known on this server"));
                  return replies.result(op, OperationText.detail(op));
                }));
    registry.immediate(
        BackupCommand.DO_STOP_OPERATION,
        (cmd, ctx) ->
            vertx.executeBlocking(
                () -> {
                  Operation op = queue.stop(cmd.required("operation_uuid"));
                  String what =
                      op.state().terminal()
                          ? "removed from the queue"
                          : "asked to stop; it ends as STOPPED at its next item";
                  return replies.result(op, "operation " + op.uuid() + " (" + op.command() + ") " + what);
                }));
    registry.immediate(
        BackupCommand.DO_STOP_ALL_OPERATIONS,
        (cmd, ctx) ->
            vertx.executeBlocking(
                () -> {
                  List<Operation> ops = queue.stopAll();
                  return replies.result(
                      ops,
                      ops.isEmpty()
                          ? "no running or queued operations"
                          : ops.size() + " operation(s) stopped or removed\n" + OperationText.table(ops));
                }));
  }
}
