package io.storefleet.worker.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemStateLineTest {
  static final String DIGEST = "743cdec5504b0df725b6103c85f8aae7f58e8266e0f9f362dfa1efd4e1ef2778";

  @Test
  void aStateIsOneLineOfTabSeparatedFieldsAndReadsBackEqual() {
    ItemState s = new ItemState(339, 48211, Instant.parse("2026-03-14T09:26:53.120Z"), 2, ItemType.MESSAGE, DIGEST,
        116, Set.of("seen", "flagged"), Set.of(), false, false, "Quarterly report", "Ann Smith <ann@example.com>",
        "Ben Jones <ben@example.com>");
    String line = ItemStateLine.encode(s);
    assertEquals("339\t48211\t2026-03-14T09:26:53.120Z\t2\tMESSAGE\t" + DIGEST
        + "\t116\tflagged,seen\t\t-\tQuarterly report\tAnn Smith <ann@example.com>\tBen Jones <ben@example.com>", line);
    assertEquals(s, ItemStateLine.decode(line));
  }

  @Test
  void separatorsInTextAndMissingValuesSurviveTheRoundTrip() {
    ItemState s = new ItemState(257, 1, Instant.parse("2026-03-14T09:26:53.123456789Z"), 3, ItemType.CONTACT, DIGEST,
        0, Set.of("a,b", "back\\slash"), Set.of("tab\there", "\\N"), true, true, "line\nbreak\r\ttab \\N",
        null, "");
    String line = ItemStateLine.encode(s);
    assertTrue(line.indexOf('\n') < 0 && line.split("\t", -1).length == ItemStateLine.FIELDS, line);
    ItemState back = ItemStateLine.decode(line);
    assertEquals(s, back);
    assertNull(back.from(), "a missing value is \\N, not the text \\N");
    assertEquals("", back.to());
    assertTrue(line.contains("\tDB\t"), "deleted and blobless: " + line);
  }

  @Test
  void theArrivalTimeIsAFourteenthFieldWrittenOnlyWhenKnown() {
    ItemState known = new ItemState(339, 48211, Instant.parse("2026-03-14T09:26:53.120Z"), 2, ItemType.MESSAGE,
        DIGEST, 116, Set.of(), Set.of(), false, false, "s", "f", "t", Instant.parse("2019-05-01T08:00:01Z"));
    String line = ItemStateLine.encode(known);
    assertTrue(line.endsWith("\tt\t2019-05-01T08:00:01Z"), line);
    assertEquals(known, ItemStateLine.decode(line));
    ItemState unknown = known.at(48212, known.since());
    unknown = new ItemState(unknown.id(), unknown.seq(), unknown.since(), unknown.folderId(), unknown.type(),
        unknown.digest(), unknown.size(), unknown.flags(), unknown.tags(), false, false, "s", "f", "t");
    assertEquals(ItemStateLine.FIELDS, ItemStateLine.encode(unknown).split("\t", -1).length,
        "a state without an arrival time is the thirteen fields older readers and writers know");
    assertNull(ItemStateLine.decode(ItemStateLine.encode(unknown)).receivedAt());
    assertTrue(known.sameAs(unknown.at(known.seq(), known.since())), "the arrival time is not a change of state");
  }

  @Test
  void fieldsAfterTheKnownOnesAreIgnoredAndBrokenRecordsRefused() {
    ItemState s = new ItemState(300, 5, Instant.parse("2026-01-01T00:00:00Z"), 2, ItemType.MESSAGE, DIGEST, 9,
        Set.of(), Set.of(), false, true, "s", "f", "t", Instant.parse("2025-12-31T23:00:00Z"));
    assertEquals(s, ItemStateLine.decode(ItemStateLine.encode(s) + "\tadded-by-a-later-storefleet"));
    assertThrows(IllegalArgumentException.class, () -> ItemStateLine.decode("{\"id\":300}"));
    assertThrows(IllegalArgumentException.class,
        () -> ItemStateLine.decode(ItemStateLine.encode(s).replace("\tB\t", "\tX\t")));
    assertThrows(IllegalArgumentException.class,
        () -> ItemStateLine.decode(ItemStateLine.encode(s).replace("300\t5", "300\tfive")));
  }

  @Test
  void timesAreReadExactlyAsInstantWritesThem() {
    java.util.Random r = new java.util.Random(7);
    for (int k = 0; k < 20_000; k++) {
      Instant t = Instant.ofEpochSecond(r.nextInt(2_000_000_000) + 946_684_800L, k % 4 == 0 ? 0
          : k % 4 == 1 ? r.nextInt(1000) * 1_000_000 : k % 4 == 2 ? r.nextInt(1_000_000) * 1000 : r.nextInt(1_000_000_000));
      assertEquals(t, ItemStateLine.instant(t.toString()), t.toString());
    }
    assertEquals(Instant.parse("2024-02-29T23:59:59.5Z"), ItemStateLine.instant("2024-02-29T23:59:59.5Z"));
    assertThrows(java.time.format.DateTimeParseException.class, () -> ItemStateLine.instant("2026-02-30T00:00:00Z"));
    assertThrows(java.time.format.DateTimeParseException.class, () -> ItemStateLine.instant("2026-03-14 09:26:53Z"));
  }
}
