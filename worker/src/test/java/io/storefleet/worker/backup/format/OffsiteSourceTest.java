package io.storefleet.worker.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.BackupFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cut an off-site upload takes, while files come and go in the backup path. */
class OffsiteSourceTest {
  @TempDir Path dir;

  @Test
  void filesThatVanishWhileTheCutIsTakenDoNotFailItAndAreNotInIt() throws Exception {
    try (BackupFixture f = new BackupFixture(dir)) {
      f.store.createDomain("example.com");
      f.deliver(f.account("ann@example.com"), 5, "mail ");
      assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
      Path server = f.engine.path().realtimeCursor().getParent();
      Files.createDirectories(server);
      // What the real-time scanner's compaction does outside the commit lock, many times over:
      // a .compact file written, renamed, and gone.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> churnFailed = new AtomicReference<>();
      AtomicInteger rounds = new AtomicInteger();
      Thread churn = new Thread(() -> {
        try {
          while (!stop.get()) {
            for (int i = 0; i < 20; i++) {
              Path a = server.resolve("r" + i + ".log.compact");
              Files.write(a, new byte[] {1});
              Files.move(a, server.resolve("s" + i + ".log.compact"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            for (int i = 0; i < 20; i++) {
              Files.deleteIfExists(server.resolve("s" + i + ".log.compact"));
            }
            rounds.incrementAndGet();
          }
        } catch (Throwable t) {
          churnFailed.set(t);
        }
      });
      churn.start();
      try {
        for (int i = 0; i < 300 || rounds.get() < 50; i++) {
          OffsiteSource src = OffsiteSource.capture(f.engine);
          assertTrue(src.files().stream().anyMatch(m -> m.relPath().equals(BackupPath.MARKER)));
          assertFalse(src.files().stream().anyMatch(m -> m.relPath().endsWith(".compact")));
          assertFalse(src.files().stream().anyMatch(m -> m.relPath().startsWith("blobs/packs/")));
        }
      } finally {
        stop.set(true);
        churn.join();
      }
      assertEquals(null, churnFailed.get());
    }
  }
}
