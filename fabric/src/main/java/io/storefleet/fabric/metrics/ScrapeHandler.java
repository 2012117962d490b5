package io.storefleet.fabric.metrics;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * Answers a scrape: checks {@link ScrapeAccess}, then writes the node's exposition. Rendering
 * runs on a worker thread, as the registry is read under Micrometer's locks. Scrapes are not in
 * the audit trail: Prometheus reads every few seconds and the append-only trail would be mostly
 * scrapes (docs/security.md).
 */
public final class ScrapeHandler implements Handler<HttpServerRequest> {
  private final Vertx vertx;
  private final NodeMetrics metrics;
  private final ScrapeAccess access;

  public ScrapeHandler(Vertx vertx, NodeMetrics metrics, ScrapeAccess access) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.access = access;
  }

  @Override
  public void handle(HttpServerRequest req) {
    access.check(req.getHeader("Authorization"))
        .compose(v -> vertx.executeBlocking(metrics::scrape, false))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            req.response().putHeader("Content-Type", NodeMetrics.CONTENT_TYPE).end(ar.result());
            return;
          }
          StorefleetException e = BusErrors.toStorefleet(ar.cause(), null);
          req.response().setStatusCode(e.code().httpStatus()).putHeader("Content-Type", "application/json")
              .end(Json.encode(Map.of("error", ErrorInfo.of(e))));
        });
  }
}
