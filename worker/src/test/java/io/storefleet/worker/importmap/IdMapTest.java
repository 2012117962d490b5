package io.storefleet.worker.importmap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdMapTest {
  static final String ANN_OLD = "0c8f2c1e-0000-4000-8000-000000000001";
  static final String ANN_NEW = "7d1a9b2c-0000-4000-8000-000000000002";
  static final String BOB_OLD = "0c8f2c1e-0000-4000-8000-000000000003";
  static final String BOB_NEW = "7d1a9b2c-0000-4000-8000-000000000004";

  @TempDir Path root;

  private static int[] range(int from, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = from + i;
    }
    return a;
  }

  @Test
  void whatIsWrittenIsReadBackAcrossRecordsAndReopens() throws IOException {
    int n = IdMapWriter.PAIRS_PER_RECORD * 2 + 17;
    try (IdMapWriter w = IdMapWriter.open(root, "mbox1")) {
      w.account(ANN_OLD, ANN_NEW, "ann@example.com");
      w.items(ANN_OLD, range(257, n), range(1257, n));
    }
    try (IdMapWriter w = IdMapWriter.open(root, "mbox1")) {
      IdMap before = w.recovered();
      assertEquals(List.of(ANN_OLD), List.copyOf(before.accounts().keySet()), "what the open read, parsed");
      assertEquals(n, before.account(ANN_OLD).orElseThrow().items().size());
      assertEquals(1257, before.account(ANN_OLD).orElseThrow().items().get(257));
      w.account(BOB_OLD, BOB_NEW, "bob@example.com");
      w.items(BOB_OLD, new int[] {2, 300}, new int[] {2, 301});
      w.items(ANN_OLD, new int[] {257}, new int[] {999}); // written again: the later pair wins
    }
    IdMap m = IdMap.read(root.resolve("map_mbox1"));
    assertEquals("mbox1", m.source());
    assertEquals(List.of(ANN_OLD, BOB_OLD), List.copyOf(m.accounts().keySet()));
    AccountMapping ann = m.account(ANN_OLD).orElseThrow();
    assertEquals(ANN_NEW, ann.newId());
    assertEquals("ann@example.com", ann.name());
    assertEquals(n, ann.items().size());
    assertEquals(999, ann.items().get(257));
    assertEquals(1258, ann.items().get(258));
    assertEquals(1257 + n - 1, ann.items().get(257 + n - 1));
    assertEquals(-1, ann.items().get(256));
    assertEquals(301, m.account(BOB_OLD).orElseThrow().items().get(300));
    assertEquals(n + 3, m.itemEntries());
    assertEquals(0, m.tornTailBytes());
    long records = Files.readAllLines(root.resolve("map_mbox1"), UTF_8).size();
    assertEquals(1 + 1 + 3 + 1 + 1 + 1, records, "header, account, 3 item records, account, 2 item records");
  }

  @Test
  void aTornLastRecordIsIgnoredByReadersAndCutByTheNextWriter() throws IOException {
    try (IdMapWriter w = IdMapWriter.open(root, "mbox2")) {
      w.account(ANN_OLD, ANN_NEW, "ann@example.com");
      w.items(ANN_OLD, new int[] {257}, new int[] {300});
    }
    Path file = root.resolve("map_mbox2");
    // A kill in the middle of an append leaves a line without its end.
    Files.writeString(file, "5e1f00aa items " + ANN_OLD + " 258=3", UTF_8, StandardOpenOption.APPEND);
    IdMap m = IdMap.read(file);
    assertEquals(-1, m.account(ANN_OLD).orElseThrow().items().get(258), "the torn record was never committed");
    assertEquals(300, m.account(ANN_OLD).orElseThrow().items().get(257));
    assertTrue(m.tornTailBytes() > 0);
    try (IdMapWriter w = IdMapWriter.open(root, "mbox2")) {
      w.items(ANN_OLD, new int[] {258}, new int[] {301});
    }
    m = IdMap.read(file);
    assertEquals(301, m.account(ANN_OLD).orElseThrow().items().get(258));
    assertEquals(0, m.tornTailBytes());
  }

  @Test
  void damageOtherFilesAndMisuseAreRefusedWithTheirCause() throws IOException {
    try (IdMapWriter w = IdMapWriter.open(root, "mbox3")) {
      w.account(ANN_OLD, ANN_NEW, "ann@example.com");
      w.items(ANN_OLD, new int[] {257}, new int[] {300});
      StorefleetException e = assertThrows(StorefleetException.class,
          () -> w.items(BOB_OLD, new int[] {1}, new int[] {2}));
      assertEquals(ErrorCode.BAD_VALUE, e.code());
      assertTrue(e.getMessage().contains("before the account itself"), e.getMessage());
      e = assertThrows(StorefleetException.class, () -> w.account("has space", "x", "y"));
      assertEquals(ErrorCode.BAD_VALUE, e.code());
    }
    Path file = root.resolve("map_mbox3");
    List<String> lines = Files.readAllLines(file, UTF_8);
    Files.write(file, List.of(lines.get(0), lines.get(1).replace("ann@", "anx@"), lines.get(2)), UTF_8);
    StorefleetException e = assertThrows(StorefleetException.class, () -> IdMap.read(file));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.getMessage().contains("damaged record"), e.getMessage());

    Path other = root.resolve("map_other");
    Files.writeString(other, "just text\n", UTF_8);
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class, () -> IdMap.read(other)).code());
    assertEquals(ErrorCode.NOT_FOUND,
        assertThrows(StorefleetException.class, () -> IdMap.read(root.resolve("map_none"))).code());
    try (IdMapWriter w = IdMapWriter.open(root, "mbox4")) {
      w.account(ANN_OLD, ANN_NEW, "ann@example.com");
    }
    Files.move(root.resolve("map_mbox4"), root.resolve("map_mbox5"));
    e = assertThrows(StorefleetException.class, () -> IdMapWriter.open(root, "mbox5"));
    assertEquals(ErrorCode.CONFLICT, e.code(), "a file whose header names another source is not appended to");

    Path unknown = root.resolve("map_mbox6");
    AppendLog.rewrite(unknown, List.of("storefleet-idmap 1 mbox6", "folder 1 2"));
    e = assertThrows(StorefleetException.class, () -> IdMapWriter.open(root, "mbox6"));
    assertEquals(ErrorCode.IO_ERROR, e.code(), "a map readers refuse is not appended to");
    assertTrue(e.getMessage().contains("unknown record 'folder 1 2'"), e.getMessage());
    assertEquals(List.of("storefleet-idmap 1 mbox6", "folder 1 2"), AppendLog.inspect(unknown).records());
  }

  @Test
  void getMapShowsEveryAccountAndItemIdAsATableAndAsJson() throws IOException {
    try (IdMapWriter w = IdMapWriter.open(root, "mbox1")) {
      w.account(ANN_OLD, ANN_NEW, "ann@example.com");
      w.items(ANN_OLD, new int[] {258, 257}, new int[] {301, 300});
      w.account(BOB_OLD, BOB_NEW, "bob@example.com");
    }
    IdMapView v = IdMapView.of(IdMap.read(root.resolve("map_mbox1")));
    String text = v.render();
    List<String> lines = text.lines().toList();
    assertTrue(lines.get(0).contains("from server mbox1: 2 account(s), 2 item id(s)"), lines.get(0));
    assertEquals(List.of("TYPE", "ACCOUNT", "OLD", "ID", "NEW", "ID"), List.of(lines.get(1).split("\\s+")));
    assertEquals(List.of("account", "ann@example.com", ANN_OLD, ANN_NEW), List.of(lines.get(2).split("\\s+")));
    assertEquals(List.of("account", "bob@example.com", BOB_OLD, BOB_NEW), List.of(lines.get(3).split("\\s+")));
    assertEquals(List.of("item", "ann@example.com", "257", "300"), List.of(lines.get(4).split("\\s+")));
    assertEquals(List.of("item", "ann@example.com", "258", "301"), List.of(lines.get(5).split("\\s+")));
    assertEquals(6, lines.size());
    var json = io.storefleet.protocol.codec.Json.tree(v);
    assertEquals("mbox1", json.get("source").asText());
    assertEquals(ANN_NEW, json.get("accounts").get(0).get("newId").asText());
    assertEquals("[[257,300],[258,301]]", json.get("accounts").get(0).get("items").toString());
  }
}
