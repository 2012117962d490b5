package io.storefleet.worker.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.worker.log.AppendLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-time scanner's position survives its log's compaction, and what is saved after it. */
class RealtimeCursorTest {
  @TempDir Path dir;

  @Test
  void positionsSavedAfterACompactionGoToTheCompactedFile() throws Exception {
    try (BackupEngine engine = BackupEngine.open(BackupPath.open(dir.resolve("backup"), "mbox1"), () -> false)) {
      try (RealtimeCursor c = RealtimeCursor.open(engine, 3)) {
        assertEquals(0, c.position());
        for (long at = 10; at <= 80; at += 10) {
          c.save(at);
        }
        assertEquals(80, c.position());
      }
      // Compacted at the 3rd, 5th and 7th save: the file holds the 7th and the 8th.
      assertEquals(List.of("70", "80"), AppendLog.inspect(engine.path().realtimeCursor()).records());
      try (RealtimeCursor c = RealtimeCursor.open(engine, 3)) {
        assertEquals(80, c.position(), "read back after a restart");
      }
    }
  }

  @Test
  void aFailedCompactionNeitherFailsTheSaveNorLaterSaves() throws Exception {
    try (BackupEngine engine = BackupEngine.open(BackupPath.open(dir.resolve("backup"), "mbox1"), () -> false)) {
      Path cursor = engine.path().realtimeCursor();
      // A directory where the compaction writes its new file makes the rewrite fail.
      Path blocker = Files.createDirectories(cursor.resolveSibling(cursor.getFileName() + ".compact"));
      try (RealtimeCursor c = RealtimeCursor.open(engine, 3)) {
        for (long at = 10; at <= 40; at += 10) {
          c.save(at);
        }
        assertEquals(List.of("10", "20", "30", "40"), AppendLog.inspect(cursor).records(), "nothing compacted");
        Files.delete(blocker);
        for (long at = 50; at <= 80; at += 10) {
          c.save(at);
        }
      }
      // Tried again 2 saves after the failed one (at 50), then at 70; 80 appended.
      assertEquals(List.of("70", "80"), AppendLog.inspect(cursor).records());
      try (RealtimeCursor c = RealtimeCursor.open(engine, 3)) {
        assertEquals(80, c.position());
      }
    }
  }
}
