package io.storefleet.worker.testing.dovecot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The fixture itself: no test leaves a Dovecot master running. */
class DovecotServerTest {
  @Test
  void stopEndsTheMasterEvenWhenItsPidWasNotReadAtStart() throws Exception {
    DovecotExtension.requireDovecot();
    DovecotServer server = DovecotServer.start();
    long master = Long.parseLong(Files.readString(server.directory().resolve("run/master.pid")).trim());
    Optional<ProcessHandle> handle = ProcessHandle.of(master);
    assertTrue(handle.isPresent() && handle.get().isAlive(), "master " + master + " runs");
    try {
      server.forgetPid();
      server.stop();
      // Ended, not yet reaped: isAlive() would count it until init reaps it, a second or more here.
      Awaitility.await("master " + master + " ends").atMost(Duration.ofSeconds(20))
          .until(() -> !DovecotServer.running(handle.get()));
    } finally {
      handle.get().destroyForcibly();
    }
  }
}
