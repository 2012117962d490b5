package io.storefleet.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.tls.PemFiles;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpTransportTest {
  private final Clock clock = Clock.systemUTC();

  @Test
  void plainHttpIsRefusedOffLoopbackUnlessAllowed() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HttpTransport.plain().prepare("192.0.2.10", clock));
    assertTrue(e.getMessage().contains("plain HTTP on 192.0.2.10 is refused") && e.getMessage().contains("http.allowPlain=true"),
        e.getMessage());
    assertNull(new HttpTransport(HttpTransport.Mode.PLAIN, null, true).prepare("192.0.2.10", clock));
    assertNull(HttpTransport.plain().prepare("127.0.0.1", clock));
    assertNull(HttpTransport.plain().prepare("localhost", clock));
  }

  @Test
  void theSelfSignedCertificateIsMadeOnceAndKept(@TempDir Path dir) throws Exception {
    HttpTransport t = HttpTransport.selfSigned(dir.resolve("tls"));
    PemFiles.Loaded first = t.prepare("192.0.2.10", clock);
    PemFiles.Loaded again = t.prepare("192.0.2.10", clock);
    assertEquals(first.leaf().sha256(), again.leaf().sha256(), "a restart serves the same certificate");
    assertEquals(first.leaf().subject(), first.leaf().issuer());
    assertTrue(first.chain().get(0).getSubjectAlternativeNames().toString().contains("192.0.2.10"));
  }
}
