package io.storefleet.coordinator.http;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The one mapping from errors to HTTP: status from the error code, body {@code {"error": ErrorInfo}}. */
final class ErrorResponses {
  private ErrorResponses() {}

  /**
   * A route that failed without answering (Vert.x Web's own refusals, such as a body over the
   * limit, or an exception no handler caught): the same named error body as every other answer.
   */
  static void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure == null) {
      failure = ctx.statusCode() == 413
          ? ErrorCode.MALFORMED_REQUEST.exception("the request body is larger than the API takes (1 MiB)")
          : ctx.statusCode() >= 500
              ? ErrorCode.INTERNAL.exception("the coordinator failed to answer (HTTP " + ctx.statusCode() + ")")
              : ErrorCode.MALFORMED_REQUEST.exception("the coordinator cannot take this request (HTTP "
                  + ctx.statusCode() + ")");
    }
    send(ctx, failure);
  }

  static void send(RoutingContext ctx, Throwable failure) {
    StorefleetException e = BusErrors.toStorefleet(failure, null);
    Call call = Call.of(ctx);
    if (call != null && call.error == null) {
      call.error = e.code();
    }
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    ctx.response()
        .setStatusCode(e.code().httpStatus())
        .putHeader("Content-Type", "application/json")
        .end(Json.encode(Map.of("error", ErrorInfo.of(e))));
  }
}
