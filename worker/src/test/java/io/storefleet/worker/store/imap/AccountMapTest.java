package io.storefleet.worker.store.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The id map on disk (no Dovecot): a save appends what changed to the log beside the map and
 * leaves the map file alone; a load applies the log; a log as large as the map is compacted into
 * it under a new generation, and records of an older generation (a crash between the rename and
 * the log's emptying) are never applied; a torn last record is a save that did not happen; a map
 * written before the log existed is read as it is and followed by a log from its first save.
 */
class AccountMapTest {
  @TempDir Path dir;

  private static MappedItem item(int id, String guid, Set<String> flags) {
    return new MappedItem(id, 2, "mbox-guid", 7, id, guid, "d" + id, 100 + id, flags, Set.of(),
        Instant.parse("2026-01-01T00:00:00Z"), "subject " + id, "a@example.test", "b@example.test", id, Instant.EPOCH);
  }

  private Path log(Path map) {
    return map.resolveSibling(map.getFileName() + ".log");
  }

  @Test
  void aSaveAppendsWhatChangedAndALoadAppliesIt() throws Exception {
    Path file = dir.resolve("a.json");
    AccountMap map = AccountMap.load(file);
    for (int id = 7; id < 17; id++) {
      map.put(item(id, "g" + id, Set.of()));
    }
    map.mailboxes().put("mbox-guid", new AccountMap.MailboxMark(2, "INBOX", 7, 40));
    map.save();
    byte[] base = Files.readAllBytes(file);
    assertEquals(0, Files.size(log(file)), "the first save writes the whole map");

    map.put(item(8, "g8", Set.of("seen")));
    map.remove(9);
    map.mailboxes().put("mbox-guid", new AccountMap.MailboxMark(2, "INBOX", 7, 41));
    map.save();
    assertArrayEquals(base, Files.readAllBytes(file), "the map file is not rewritten");
    long logged = Files.size(log(file));
    assertTrue(logged > 0 && logged < base.length / 2, "one small record: " + logged + " bytes");
    map.save();
    assertEquals(logged, Files.size(log(file)), "nothing changed, nothing written");

    AccountMap read = AccountMap.load(file);
    assertEquals(map.items(), read.items());
    assertEquals(map.mailboxes(), read.mailboxes());
    assertEquals(map.newId(), read.newId());
  }

  @Test
  void aLogAsLargeAsTheMapIsCompactedAndStaleRecordsAreNeverApplied() throws Exception {
    Path file = dir.resolve("b.json");
    AccountMap map = AccountMap.load(file);
    map.put(item(7, "g7", Set.of()));
    map.save();
    byte[] staleLog = null;
    int round = 0;
    while (Files.size(log(file)) > 0 || round == 0) {
      staleLog = Files.readAllBytes(log(file));
      // Each round changes every item once more: the log grows until the map is rewritten.
      for (int k = 0; k < 40; k++) {
        map.put(item(100 + k, "g" + k, Set.of("r" + round)));
      }
      map.save();
      round++;
      assertTrue(round < 1000, "never compacted");
    }
    assertTrue(round > 2 && staleLog.length > 0, "appended a few times, then compacted: " + round + " rounds");
    // A crash between the rename and the emptying of the log leaves the old records there.
    Files.write(log(file), staleLog);
    AccountMap read = AccountMap.load(file);
    assertEquals(map.items(), read.items(), "the old generation's records are not applied");

    // Appends after a compaction follow the new generation, also behind stale records.
    Files.write(log(file), staleLog);
    AccountMap again = AccountMap.load(file);
    again.put(item(7, "g7", Set.of("flagged")));
    again.save();
    assertEquals(Set.of("flagged"), AccountMap.load(file).item(7).orElseThrow().flags());
  }

  @Test
  void aTornLastRecordIsASaveThatDidNotHappen() throws Exception {
    Path file = dir.resolve("c.json");
    AccountMap map = AccountMap.load(file);
    map.put(item(7, "g7", Set.of()));
    map.save();
    map.put(item(7, "g7", Set.of("seen")));
    map.save();
    Files.write(log(file), "{\"generation\":1,\"items\":[{\"id\"".getBytes(UTF_8), StandardOpenOption.APPEND);
    AccountMap read = AccountMap.load(file);
    assertEquals(Set.of("seen"), read.item(7).orElseThrow().flags());
    read.put(item(7, "g7", Set.of("seen", "flagged")));
    read.save();
    assertEquals(Set.of("seen", "flagged"), AccountMap.load(file).item(7).orElseThrow().flags());
  }

  @Test
  void aMapWrittenBeforeTheLogExistedIsReadAndThenFollowedByALog() throws Exception {
    Path file = dir.resolve("d.json");
    // The format of the map before the log: no generation field.
    Files.writeString(file, "{\"nextId\":9,\"mailboxes\":{\"mbox-guid\":{\"folderId\":2,\"name\":\"INBOX\","
        + "\"uidValidity\":7,\"highestModSeq\":40}},\"items\":[{\"id\":7,\"folderId\":2,\"mailboxGuid\":\"mbox-guid\","
        + "\"uidValidity\":7,\"uid\":1,\"messageGuid\":\"g7\",\"digest\":\"d7\",\"size\":107,\"flags\":[],\"tags\":[],"
        + "\"receivedAt\":\"2026-01-01T00:00:00Z\",\"subject\":\"s\",\"from\":\"f\",\"to\":\"t\",\"modSeq\":3}],"
        + "\"grants\":[]}");
    byte[] old = Files.readAllBytes(file);
    AccountMap map = AccountMap.load(file);
    assertEquals(List.of(7), map.items().stream().map(MappedItem::id).toList());
    assertEquals(40, map.mailboxes().get("mbox-guid").highestModSeq());
    map.put(item(8, "g8", Set.of()));
    map.save();
    assertArrayEquals(old, Files.readAllBytes(file), "appended, not rewritten");
    AccountMap read = AccountMap.load(file);
    assertEquals(List.of(7, 8), read.items().stream().map(MappedItem::id).toList());
    assertEquals(9, read.newId());
    AccountMap.delete(file);
    assertFalse(Files.exists(file) || Files.exists(log(file)));
  }

  @Test
  void aRecordIsMeasuredInTheBytesTheLogHoldsNotInCharacters() throws Exception {
    Path file = dir.resolve("e.json");
    AccountMap map = AccountMap.load(file);
    map.put(item(7, "g7", Set.of()));
    map.save();
    AccountMapFile f = new AccountMapFile(file);
    f.loaded(0, true);
    f.records();
    int chars = (int) (AccountMapFile.MIN_LOG_BYTES * 2 / 3);
    assertTrue(f.appendable("e".repeat(chars)), "an ASCII record of " + chars + " bytes fits the log");
    // Two bytes each in UTF-8: fewer characters than the limit, more bytes.
    assertFalse(f.appendable("\u00e9".repeat(chars)), "a record of " + 2 * chars + " bytes does not");
  }

  @Test
  void aNonAsciiValueRoundTripsThroughTheLogAndALargeOneCompacts() throws Exception {
    Path file = dir.resolve("f.json");
    AccountMap map = AccountMap.load(file);
    map.put(item(7, "g7", Set.of()));
    map.save();
    map.put(item(8, "g8", Set.of("\u00e9t\u00e9", "\u8349\u7a3f")));
    map.save();
    assertTrue(Files.size(log(file)) > 0, "a small change is appended");
    assertEquals(Set.of("\u00e9t\u00e9", "\u8349\u7a3f"), AccountMap.load(file).item(8).orElseThrow().flags());

    // A value whose characters fit the log's limit but whose bytes do not: the map is rewritten,
    // and the log never grows past the limit.
    String large = "\u20ac".repeat((int) (AccountMapFile.MIN_LOG_BYTES / 2));
    map.put(item(9, "g9", Set.of(large)));
    map.save();
    assertEquals(0, Files.size(log(file)), "compacted, not appended");
    assertEquals(Set.of(large), AccountMap.load(file).item(9).orElseThrow().flags());
  }
}
