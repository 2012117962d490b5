package io.storefleet.worker.command;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.queue.OperationTask;

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
}
