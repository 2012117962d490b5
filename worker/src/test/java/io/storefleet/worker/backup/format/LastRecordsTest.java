package io.storefleet.worker.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.Domain;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server record is appended only when it differs from the log's last one, which the engine keeps
 * from its own writes and reads; a log changed behind its back is read again.
 */
class LastRecordsTest {
  @TempDir Path dir;

  private static ProvisioningSnapshot snapshot(String domain, long seq) {
    return new ProvisioningSnapshot(List.of(new Domain(domain, Instant.EPOCH)), List.of(new Cos("c", "default", "")),
        List.of(), seq, Instant.EPOCH.plusSeconds(seq));
  }

  @Test
  void theSameProvisioningIsNotAppendedAgainAndALogChangedBehindTheEnginesBackIsReadAgain() throws Exception {
    try (BackupEngine engine = BackupEngine.open(BackupPath.open(dir.resolve("backup"), "mbox1"), () -> false)) {
      Path log = engine.path().provisioningLog();
      assertTrue(engine.appendIfChanged(log, snapshot("a.test", 1), ProvisioningSnapshot.class,
          ProvisioningSnapshot::sameAs));
      assertFalse(engine.appendIfChanged(log, snapshot("a.test", 2), ProvisioningSnapshot.class,
          ProvisioningSnapshot::sameAs), "same domains, COS and lists");
      try (AppendLog other = AppendLog.open(log)) {
        other.append(Json.encode(snapshot("b.test", 3)));
      }
      assertTrue(engine.appendIfChanged(log, snapshot("a.test", 4), ProvisioningSnapshot.class,
          ProvisioningSnapshot::sameAs), "the last record is now b.test's: a.test differs from it");
      engine.appendServerRecord(log, snapshot("b.test", 5));
      assertTrue(engine.appendIfChanged(log, snapshot("a.test", 6), ProvisioningSnapshot.class,
          ProvisioningSnapshot::sameAs), "after a plain append the last record is read again");
      assertEquals(List.of(1L, 3L, 4L, 5L, 6L), engine.serverRecords(log, ProvisioningSnapshot.class).stream()
          .map(ProvisioningSnapshot::seq).toList());
    }
  }
}
