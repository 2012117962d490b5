package io.storefleet.fabric.bus;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.core.eventbus.ReplyException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one translation of a failed question to the cluster into an {@link ErrorCode}, whichever
 * operation family asked and whichever process asked it (a worker's bridge, the coordinator's
 * share client):
 *
 * <ul>
 *   <li>the other side answered with an error: that error, code and server as it sent them;
 *   <li>no handler at the server's address (its worker is gone): SERVER_UNAVAILABLE;
 *   <li>no answer in time, on the bus or while a caller waited: SERVER_TIMEOUT (indefinite: the
 *       request may still take effect);
 *   <li>anything else (the directory's map failed, say): INTERNAL, or IO_ERROR for I/O.
 * </ul>
 */
public final class ClusterErrors {
  private ClusterErrors() {}

  /**
   * @param asked what was asked, for the message ("server mbox2", "the cluster directory")
   * @param server the server the error concerns
   */
  public static StorefleetException of(Throwable failure, String asked, String server) {
    Throwable f = failure;
    while ((f instanceof ExecutionException || f instanceof CompletionException) && f.getCause() != null) {
      f = f.getCause();
    }
    if (f instanceof StorefleetException se) {
      return se.onServer(server);
    }
    if (f instanceof ReplyException) {
      return BusErrors.fromReply(f, server);
    }
    if (f instanceof java.io.IOException) {
      return new StorefleetException(ErrorCode.IO_ERROR, asked + " failed: " + f.getMessage(), server, f);
    }
    return new StorefleetException(
        ErrorCode.INTERNAL, asked + " failed: " + f.getClass().getSimpleName() + ": " + f.getMessage(), server, f);
  }

  /**
   * A caller stopped waiting for {@code asked}: the same code as a timeout on the bus, because
   * the outcome is just as unknown.
   *
   * @param why "did not answer within 35 s", "was not awaited: the thread was interrupted"
   */
  public static StorefleetException unanswered(String asked, String why, String server) {
    return ErrorCode.SERVER_TIMEOUT.exception(
        asked + " " + why + "; the request may still take effect, check before retrying", server);
  }
}
