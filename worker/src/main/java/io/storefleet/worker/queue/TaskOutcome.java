package io.storefleet.worker.queue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How an operation's task ended, as the end state, result block and error its record gets: every
 * way a task can end, a thrown {@link Error} included, is one of these, so the runner never dies
 * with a task.
 */
record TaskOutcome(OperationState state, OperationStats stats, ErrorInfo error) {
  private static final Logger LOG = Logger.getLogger(TaskOutcome.class.getName());

  /** Runs the operation's task to its end on the calling thread. */
  static TaskOutcome of(OperationContext ctx, TaskFactory factory, String serverId) {
    Operation op = ctx.operation();
    try {
      OperationStats stats = factory.create(op).run(ctx);
      return new TaskOutcome(OperationState.SUCCEEDED, stats, null);
    } catch (OperationStoppedException e) {
      return new TaskOutcome(OperationState.STOPPED, null, null);
    } catch (OperationFailure e) {
      return new TaskOutcome(OperationState.FAILED, e.stats(), ErrorInfo.of(e.onServer(serverId)));
    } catch (StorefleetException e) {
      return new TaskOutcome(OperationState.FAILED, null, ErrorInfo.of(e.onServer(serverId)));
    } catch (IOException | UncheckedIOException e) {
      // A disk that failed or filled up: the message names the file (worker.log.WriteFailure).
      LOG.log(Level.WARNING, "operation " + op.uuid() + " failed", e);
      String cause = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      return new TaskOutcome(OperationState.FAILED, null, ErrorInfo.of(
          ErrorCode.IO_ERROR.exception(op.command() + " failed on server " + serverId + ": " + cause, serverId)));
    } catch (Exception | Error e) {
      LOG.log(Level.WARNING, "operation " + op.uuid() + " failed", e);
      return new TaskOutcome(OperationState.FAILED, null, ErrorInfo.of(
          ErrorCode.INTERNAL.exception(op.command() + " failed on server " + serverId + ": " + e, serverId)));
    }
  }
}
