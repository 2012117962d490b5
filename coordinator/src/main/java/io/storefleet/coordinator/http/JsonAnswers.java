package io.storefleet.coordinator.http;

import io.storefleet.protocol.codec.Json;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Answers a route with JSON: a result as is, a failure through {@link ErrorResponses}. */
final class JsonAnswers {
  private JsonAnswers() {}

  static void json(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(ctx, ar.cause());
        return;
      }
      Call call = Call.of(ctx);
      if (call != null) {
        call.answered(ar.result());
      }
      ctx.response().putHeader("Content-Type", "application/json").end(Json.encode(ar.result()));
    });
  }

  /** Decodes the body as {@code type} and answers what {@code handler} makes of it. */
  static <T> void decoded(RoutingContext ctx, Class<T> type, Function<T, Future<?>> handler) {
    T body;
    try {
      body = Json.decode(ctx.body().asString(), type);
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    json(ctx, handler.apply(body));
  }
}
