package io.storefleet.fabric.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.tls.CertificateMaker;
import io.storefleet.fabric.tls.PemFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's metrics port: plain HTTP on loopback only, HTTPS with the worker's TLS files elsewhere. */
class MetricsEndpointTest {
  private final Vertx vertx = Vertx.vertx();
  private final Clock clock = Clock.systemUTC();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Port 0 means "no port" here, so a free one is picked first. */
  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static MetricsSettings on(String host, int port) {
    return new MetricsSettings(host, port, ScrapeAccess.Mode.OPEN);
  }

  @Test
  void aNonLoopbackPortWithoutTheWorkersTlsFilesIsRefusedNamingTheFixes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricsEndpoint.check(on("0.0.0.0", 9461), null));
    for (String part : List.of("metrics.host 0.0.0.0", "cluster.tlsCert", "metrics.host=127.0.0.1")) {
      assertTrue(e.getMessage().contains(part), part + " in " + e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> MetricsEndpoint.start(vertx, on("0.0.0.0", 9461), null, clock, null).await());
    assertDoesNotThrow(() -> MetricsEndpoint.check(on("127.0.0.1", 9461), null));
    assertDoesNotThrow(() -> MetricsEndpoint.check(on("0.0.0.0", 0), null), "no port, nothing exposed");
  }

  @Test
  void aNonLoopbackPortServesHttpsWithTheWorkersCertificateAndNeverPlainHttp(@TempDir Path dir) throws Exception {
    PemFiles tls = new PemFiles(dir.resolve("node.crt"), dir.resolve("node.key"), null);
    new CertificateMaker(clock).selfSigned("mbox1", List.of("127.0.0.1"), Duration.ofDays(10))
        .writeTo(tls.key(), tls.cert());
    MetricsEndpoint endpoint = MetricsEndpoint.start(vertx, on("0.0.0.0", freePort()), tls, clock,
        new ScrapeHandler(vertx, new NodeMetrics(), new ScrapeAccess(ScrapeAccess.Mode.OPEN, null))).await();
    try {
      assertTrue(endpoint.https());
      // Trusting only the worker's certificate, with the host checked against its names (127.0.0.1).
      HttpClient https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.cert().toString())));
      int status = https.request(HttpMethod.GET, endpoint.port(), "127.0.0.1", "/metrics")
          .compose(r -> r.send()).map(r -> r.statusCode()).await();
      assertEquals(200, status);
      Path otherCert = dir.resolve("other.crt");
      new CertificateMaker(clock).selfSigned("mbox2", List.of("127.0.0.1"), Duration.ofDays(10))
          .writeTo(dir.resolve("other.key"), otherCert);
      HttpClient trustsAnother = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(otherCert.toString())));
      assertThrows(Exception.class, () -> trustsAnother.request(HttpMethod.GET, endpoint.port(), "127.0.0.1", "/metrics")
          .compose(r -> r.send()).await(), "the port served a certificate other than the worker's");
      HttpClient plain = vertx.createHttpClient();
      assertThrows(Exception.class, () -> plain.request(HttpMethod.GET, endpoint.port(), "127.0.0.1", "/metrics")
          .compose(r -> r.send()).await(), "plain HTTP gets no answer from the TLS port");
    } finally {
      endpoint.close().await();
    }
    MetricsEndpoint local = MetricsEndpoint.start(vertx, on("127.0.0.1", freePort()), tls, clock,
        new ScrapeHandler(vertx, new NodeMetrics(), new ScrapeAccess(ScrapeAccess.Mode.OPEN, null))).await();
    try {
      assertFalse(local.https(), "loopback stays plain HTTP");
    } finally {
      local.close().await();
    }
  }
}
