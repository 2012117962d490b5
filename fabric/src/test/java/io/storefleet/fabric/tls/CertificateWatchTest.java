package io.storefleet.fabric.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateWatchTest {
  private final Vertx vertx = Vertx.vertx();
  private final Clock clock = Clock.systemUTC();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aSetTheEndpointCannotTakeIsKeptAsTheRefusal(@TempDir Path dir) throws Exception {
    CertificateMaker maker = new CertificateMaker(clock);
    PemFiles files = new PemFiles(dir.resolve("http.crt"), dir.resolve("http.key"), null);
    maker.selfSigned("first", List.of("127.0.0.1"), Duration.ofDays(10)).writeTo(files.key(), files.cert());
    PemFiles.Loaded first = files.load(clock);
    CertificateWatch watch = new CertificateWatch(vertx, "HTTP API", files, clock, first,
        m -> Future.failedFuture(new IllegalStateException("the endpoint cannot take it")));

    maker.selfSigned("second", List.of("127.0.0.1"), Duration.ofDays(10)).writeTo(files.key(), files.cert());
    assertThrows(IllegalStateException.class, () -> watch.checkNow().await());
    assertEquals(first.leaf(), watch.certificate(), "the certificate in service stays");
    assertTrue(watch.lastRefusal().contains("the endpoint cannot take it"), watch.lastRefusal());
  }
}
