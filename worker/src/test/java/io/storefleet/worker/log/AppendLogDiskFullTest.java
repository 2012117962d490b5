package io.storefleet.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.testing.SmallFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An append that meets a full disk leaves the log as it was (a real tmpfs of 1 MiB, as root). */
class AppendLogDiskFullTest {
  @TempDir Path dir;

  @Test
  void aFailedAppendLeavesNoHalfRecordForTheNextToBeGluedTo() throws Exception {
    try (SmallFileSystem vol = SmallFileSystem.mount(dir.resolve("vol"), 1 << 20)) {
      Path f = dir.resolve("vol/a.log");
      List<String> committed = new ArrayList<>();
      String big = "r".repeat(40_000);
      try (AppendLog log = AppendLog.open(f)) {
        log.append("first");
        committed.add("first");
        vol.fill(100_000);
        IOException full = assertThrows(IOException.class, () -> {
          for (int i = 0; ; i++) {
            log.append(big + i);
            committed.add(big + i);
          }
        });
        assertTrue(full.getMessage().contains("no space left on device writing " + f), full.getMessage());
        assertTrue(full instanceof AppendLog.NothingWritten, "the file is as it was: " + full);
        vol.release();
        // Before the fix, the half-written record stayed and this one was glued to it: lost as a
        // torn tail, or the whole log refused to open once more records followed.
        log.append("after");
        log.append("and more");
        committed.add("after");
        committed.add("and more");
      }
      try (AppendLog again = AppendLog.open(f)) {
        assertEquals(committed, again.recovered());
        assertEquals(0, again.truncatedBytes());
      }
    }
  }
}
