package io.storefleet.worker.command;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.queue.OperationTask;
import java.util.function.Consumer;
import java.util.function.Function;

/** A command that runs as an operation in the server's FIFO queue. */
public interface QueuedCommand {
  /**
   * Checks, before the operation is queued, what can be checked now (the account exists, the
   * paths are allowed), so that bad input fails at once instead of in the queue. Runs on a worker
   * thread.
   */
  default void validate(ParsedCommand cmd) {}

  /** The work of a queued operation of this command. */
  OperationTask task(ParsedCommand cmd, Operation op);

  /**
   * A queued command made of its check before queuing and its task, for the commands whose task
   * needs nothing of the operation record but the command.
   */
  static QueuedCommand of(Consumer<ParsedCommand> validation, Function<ParsedCommand, OperationTask> task) {
    return new QueuedCommand() {
      @Override
      public void validate(ParsedCommand cmd) {
        validation.accept(cmd);
      }

      @Override
      public OperationTask task(ParsedCommand cmd, Operation op) {
        return task.apply(cmd);
      }
    };
  }
}
