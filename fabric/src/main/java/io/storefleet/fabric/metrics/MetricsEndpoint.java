package io.storefleet.fabric.metrics;

import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.tls.CertificateWatch;
import io.storefleet.fabric.tls.Loopback;
import io.storefleet.fabric.tls.PemFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Clock;

/**
 * A worker's small HTTP server that serves {@code GET /metrics} and nothing else. A scrape carries
 * a bearer token, so the port is plain HTTP only on a loopback address; on any other address it
 * serves HTTPS with the worker's event-bus certificate (its {@code cluster.tls*} files, taken in
 * again when they change), and without those files the worker refuses to start.
 */
public final class MetricsEndpoint {
  private final HttpServer server;
  private final CertificateWatch certificates;

  private MetricsEndpoint(HttpServer server, CertificateWatch certificates) {
    this.server = server;
    this.certificates = certificates;
  }

  /** As {@link #start(Vertx, MetricsSettings, PemFiles, Clock, ScrapeHandler)} without TLS files. */
  public static Future<MetricsEndpoint> start(Vertx vertx, MetricsSettings settings, ScrapeHandler scrape) {
    return start(vertx, settings, null, Clock.systemUTC(), scrape);
  }

  /**
   * Refuses settings that would send scrapes' tokens over the network in clear: a metrics port on a
   * non-loopback {@code metrics.host} without the worker's TLS files ({@code tls}, may be null).
   *
   * @throws IllegalArgumentException naming the setting and the fixes
   */
  public static void check(MetricsSettings settings, PemFiles tls) {
    if (settings.port() != 0 && tls == null && !Loopback.is(settings.host())) {
      throw new IllegalArgumentException("metrics.host " + settings.host() + " is not a loopback address, and a"
          + " scrape there would carry its bearer token in clear: give the worker its event-bus TLS files"
          + " (cluster.tlsCert, cluster.tlsKey, cluster.tlsCa; deploy/cluster-ca.sh), which the metrics port then"
          + " serves HTTPS with, or keep metrics.host=127.0.0.1 (the default) and scrape from this host");
    }
  }

  /**
   * Listens as {@code settings} say, with HTTPS from {@code tls} on a non-loopback address; with
   * port 0 nothing listens and the endpoint is off.
   */
  public static Future<MetricsEndpoint> start(Vertx vertx, MetricsSettings settings, PemFiles tls, Clock clock,
      ScrapeHandler scrape) {
    if (settings.port() == 0) {
      return Future.succeededFuture(new MetricsEndpoint(null, null));
    }
    try {
      check(settings, tls);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    boolean https = !Loopback.is(settings.host());
    Future<PemFiles.Loaded> material = https ? vertx.executeBlocking(() -> tls.load(clock)) : Future.succeededFuture();
    return material.compose(loaded -> {
      HttpServerOptions options = new HttpServerOptions();
      if (loaded != null) {
        options.setSsl(true).setKeyCertOptions(loaded.keyCert());
      }
      return vertx.createHttpServer(options).requestHandler(req -> {
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
          .map(s -> new MetricsEndpoint(s, loaded == null ? null
              : new CertificateWatch(vertx, "metrics port", tls, clock, loaded,
                  m -> s.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(m.keyCert()), true))
                  .start(ClusterNode.CERTIFICATE_CHECK_PERIOD)));
    });
  }

  /** The port it listens on, or 0 when off. */
  public int port() {
    return server == null ? 0 : server.actualPort();
  }

  /** Whether it serves HTTPS (a non-loopback address). */
  public boolean https() {
    return certificates != null;
  }

  public Future<Void> close() {
    if (certificates != null) {
      certificates.stop();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
