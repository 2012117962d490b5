package io.storefleet.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendLogTest {
  @TempDir Path dir;

  @Test
  void committedRecordsAreReadBackInOrder() throws IOException {
    Path f = dir.resolve("a.log");
    try (AppendLog log = AppendLog.open(f)) {
      log.append("one");
      log.appendAll(List.of("two", "thrée"));
    }
    try (AppendLog log = AppendLog.open(f)) {
      assertEquals(List.of("one", "two", "thrée"), log.recovered());
      log.append("four");
    }
    try (AppendLog log = AppendLog.open(f)) {
      assertEquals(List.of("one", "two", "thrée", "four"), log.recovered());
    }
  }

  @Test
  void tornTailIsCutAndLaterAppendsSurvive() throws IOException {
    Path f = dir.resolve("a.log");
    try (AppendLog log = AppendLog.open(f)) {
      log.append("one");
    }
    Files.write(f, "deadbeef {\"half".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    try (AppendLog log = AppendLog.open(f)) {
      assertEquals(List.of("one"), log.recovered());
      assertTrue(log.truncatedBytes() > 0);
      log.append("two");
    }
    try (AppendLog log = AppendLog.open(f)) {
      assertEquals(List.of("one", "two"), log.recovered());
    }
  }

  @Test
  void anAppendOnlyOpenCutsTheTornTailButKeepsNoRecords() throws IOException {
    Path f = dir.resolve("a.log");
    try (AppendLog log = AppendLog.open(f)) {
      log.append("one");
    }
    Files.write(f, "deadbeef {\"half".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    try (AppendLog log = AppendLog.openForAppends(f)) {
      assertEquals(List.of(), log.recovered());
      assertTrue(log.truncatedBytes() > 0);
      log.append("two");
    }
    assertEquals(List.of("one", "two"), AppendLog.inspect(f).records());
    assertTrue(AppendLog.inspect(f).clean());
  }

  @Test
  void aLastLineWithAWrongChecksumIsATornTail() throws IOException {
    Path f = dir.resolve("a.log");
    try (AppendLog log = AppendLog.open(f)) {
      log.append("one");
    }
    Files.write(f, "00000000 two\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    try (AppendLog log = AppendLog.open(f)) {
      assertEquals(List.of("one"), log.recovered());
    }
  }

  @Test
  void damageBeforeCommittedRecordsStopsTheOpenInsteadOfDroppingThem() throws IOException {
    Path f = dir.resolve("a.log");
    try (AppendLog log = AppendLog.open(f)) {
      log.appendAll(List.of("one", "two", "three"));
    }
    byte[] bytes = Files.readAllBytes(f);
    int secondLine = new String(bytes, StandardCharsets.UTF_8).indexOf('\n') + 1;
    bytes[secondLine + 10] ^= 0x01;
    Files.write(f, bytes);
    IOException e = assertThrows(IOException.class, () -> AppendLog.open(f));
    assertTrue(e.getMessage().contains("corrupt record"), e.getMessage());
    assertEquals(bytes.length, Files.size(f), "nothing was cut");
  }

  @Test
  void writtenRecordsAreInTheFileBeforeTheForceAndAReopenReadsThem() throws IOException {
    Path f = dir.resolve("sub/a.log");
    try (AppendLog log = AppendLog.open(f, false)) {
      assertTrue(log.created(), "a new file: its folder is the caller's to sync");
      log.write(List.of("one", "two"));
      // A process kill after write keeps the bytes: another open sees them before any force.
      try (AppendLog other = AppendLog.open(f)) {
        assertEquals(List.of("one", "two"), other.recovered());
        assertFalse(other.created());
      }
      log.force();
      log.write(List.of("three"));
      log.appendAll(List.of("four"));
    }
    try (AppendLog log = AppendLog.open(f)) {
      assertEquals(List.of("one", "two", "three", "four"), log.recovered());
    }
  }

  @Test
  void framesAreTheDocumentedCrcAndText() throws IOException {
    Path f = dir.resolve("a.log");
    try (AppendLog log = AppendLog.open(f)) {
      log.write(List.of("hello"));
    }
    // CRC-32C of "hello" is 0x9a71bb4c.
    assertEquals("9a71bb4c hello\n", Files.readString(f));
  }

  private Path logOf(List<String> records) throws IOException {
    Path f = dir.resolve("m.log");
    Files.deleteIfExists(f);
    try (AppendLog log = AppendLog.open(f)) {
      log.appendAll(records);
    }
    return f;
  }

  @Test
  void theLastMarkerIsFoundFromTheEndPastATornTailAndAcrossWindowGrowth() throws IOException {
    List<String> records = new java.util.ArrayList<>();
    records.add("pos 1");
    for (int i = 0; i < 3000; i++) {
      records.add("state " + i + " " + "x".repeat(40));
    }
    records.add("pos 2");
    records.add("state after");
    Path f = logOf(records);
    assertEquals("pos 2", AppendLog.lastRecordMatching(f, r -> r.startsWith("pos"), 1 << 20));
    Files.write(f, "0badc0de torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    assertEquals("pos 2", AppendLog.lastRecordMatching(f, r -> r.startsWith("pos"), 1 << 20), "a torn tail is ignored");
    // The lines between the two markers span more than the first 64 KiB window.
    assertTrue(Files.size(f) > 64 << 10);
    assertEquals(null, AppendLog.lastRecordMatching(f, r -> r.startsWith("pos"), 16 << 10),
        "the previous marker is beyond the limit: nothing vouches for the lines before pos 2");
    assertEquals(null, AppendLog.lastRecordMatching(f, r -> r.startsWith("none"), 1 << 20));
  }

  @Test
  void aDamagedLineTheMarkerVouchesForOrOneFollowedByGoodRecordsGivesNoAnswer() throws IOException {
    Path f = logOf(List.of("pos 1", "state a", "state b", "pos 2", "state c"));
    String text = Files.readString(f);
    Files.writeString(f, text.replace("state b", "state B"));
    assertEquals(null, AppendLog.lastRecordMatching(f, r -> r.startsWith("pos"), 1 << 20),
        "a line before pos 2 does not check: the caller must read the whole log");
    Files.writeString(f, text.replace("state c", "state C") + frame("state d"));
    assertEquals(null, AppendLog.lastRecordMatching(f, r -> r.startsWith("pos"), 1 << 20),
        "damage after the marker, with a good record after it, is not a torn tail");
    Files.writeString(f, text);
    assertEquals("pos 2", AppendLog.lastRecordMatching(f, r -> r.startsWith("pos"), 1 << 20));
  }

  private String frame(String text) throws IOException {
    Path g = dir.resolve("frame.log");
    Files.deleteIfExists(g);
    try (AppendLog log = AppendLog.open(g)) {
      log.append(text);
    }
    return Files.readString(g);
  }
}
