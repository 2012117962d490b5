package io.storefleet.fabric.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/** A worker's small plain-HTTP server that serves {@code GET /metrics} and nothing else. */
public final class MetricsEndpoint {
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Listens as {@code settings} say; with port 0 nothing listens and the endpoint is off. */
  public static Future<MetricsEndpoint> start(Vertx vertx, MetricsSettings settings, ScrapeHandler scrape) {
    if (settings.port() == 0) {
      return Future.succeededFuture(new MetricsEndpoint(null));
    }
    return vertx.createHttpServer().requestHandler(req -> {
      if (!"/metrics".equals(req.path())) {
        req.response().setStatusCode(404).end("only /metrics is served here\n");
      } else if (!HttpMethod.GET.equals(req.method())) {
        req.response().setStatusCode(405).putHeader("Allow", "GET").end("use GET /metrics\n");
      } else {
        scrape.handle(req);
      }
    }).listen(settings.port(), settings.host())
        .recover(e -> Future.failedFuture(new IllegalStateException("the metrics port " + settings.host() + ":"
            + settings.port() + " could not be opened (" + e.getMessage() + "); set metrics.port to a free port,"
            + " or 0 for none", e)))
        .map(MetricsEndpoint::new);
  }

  /** The port it listens on, or 0 when off. */
  public int port() {
    return server == null ? 0 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
