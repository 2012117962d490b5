package io.storefleet.coordinator.http;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The one mapping from errors to HTTP: status from the error code, body {@code {"error": ErrorInfo}}. */
final class ErrorResponses {
  private ErrorResponses() {}

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
