package io.storefleet.fabric.bus;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * The one translation between {@link StorefleetException}s and event-bus failures: a failure's
 * code is the error's numeric code and its message the {@link ErrorInfo} as JSON, so the error
 * crosses the cluster intact. Bus-level failures become indefinite errors naming the server.
 */
public final class BusErrors {
  private BusErrors() {}

  /** Fails {@code message} with {@code error}, keeping its code, definite flag and server. */
  public static void fail(Message<?> message, Throwable error, String server) {
    StorefleetException e = toStorefleet(error, server);
    message.fail(e.code().code(), Json.encode(ErrorInfo.of(e)));
  }

  /** Any throwable as a {@link StorefleetException}; unknown ones are INTERNAL (indefinite). */
  public static StorefleetException toStorefleet(Throwable error, String server) {
    if (error instanceof StorefleetException se) {
      return server == null ? se : se.onServer(server);
    }
    if (error instanceof java.io.IOException) {
      return new StorefleetException(ErrorCode.IO_ERROR, "I/O failure: " + error.getMessage(), server, error);
    }
    return new StorefleetException(
        ErrorCode.INTERNAL, error.getClass().getSimpleName() + ": " + error.getMessage(), server, error);
  }

  /**
   * The error behind a failed request to {@code server}: the remote error itself when the
   * server answered with one, otherwise SERVER_UNAVAILABLE (no handler: the process is gone) or
   * SERVER_TIMEOUT (it may still act on the request).
   */
  public static StorefleetException fromReply(Throwable failure, String server) {
    if (failure instanceof ReplyException re) {
      switch (re.failureType()) {
        case NO_HANDLERS:
          return ErrorCode.SERVER_UNAVAILABLE.exception(
              "server " + server + " is not reachable: its worker is not running or has left the"
                  + " cluster; start it (or wait for it to rejoin) and retry",
              server);
        case TIMEOUT:
          return ErrorCode.SERVER_TIMEOUT.exception(
              "server " + server + " did not answer in time; the request may still take effect,"
                  + " check with getAllOperations before retrying",
              server);
        case RECIPIENT_FAILURE:
          String msg = re.getMessage();
          if (msg != null && msg.startsWith("{")) {
            try {
              return Json.decode(msg, ErrorInfo.class).toException();
            } catch (StorefleetException ignored) {
              // Not one of ours: fall through and report the raw failure.
            }
          }
          return new StorefleetException(
              ErrorCode.fromCode(re.failureCode()), "server " + server + " failed: " + msg, server);
        default:
          break;
      }
    }
    return toStorefleet(failure, server);
  }
}
