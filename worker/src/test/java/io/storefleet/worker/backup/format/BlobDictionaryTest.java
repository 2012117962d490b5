package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.TwoAccountBackupTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The first scan that stores enough mail trains the path's zstd dictionary; every read needs it intact. */
class BlobDictionaryTest extends TwoAccountBackupTest {
  static final String[] WORDS = {"meeting", "report", "quarterly", "budget", "please", "review", "attached",
      "thanks", "regards", "project", "deadline", "update", "schedule", "customer", "invoice", "team"};

  /** Mail that looks like mail: the same header lines, different bodies. */
  void deliverMail(Account a, int n, long seed) {
    Random r = new Random(seed);
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder();
      b.append("Received: from mx").append(r.nextInt(9)).append(".example.net (mx.example.net [192.0.2.")
          .append(r.nextInt(250)).append("])\r\n\tby mail.example.com with ESMTPS id ").append(Long.toHexString(r.nextLong()))
          .append("\r\nMessage-ID: <").append(Long.toHexString(r.nextLong())).append("@example.net>\r\n")
          .append("From: Someone <s").append(r.nextInt(50)).append("@example.net>\r\nTo: ").append(a.name())
          .append("\r\nSubject: ").append(WORDS[r.nextInt(WORDS.length)]).append(' ').append(i)
          .append("\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
      for (int w = 0; w < 600; w++) {
        b.append(WORDS[r.nextInt(WORDS.length)]).append(w % 12 == 11 ? "\r\n" : " ");
      }
      mail.add(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    f.store.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
  }

  private List<Path> dictionaries() throws Exception {
    Path d = dir.resolve("backup/blobs/dictionaries");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  @Test
  void theFirstScanWithEnoughMailTrainsADictionaryThatEveryBlobUsesAndThatSurvivesAReopen() throws Exception {
    deliverMail(ann, 60, 1);
    deliverMail(ben, 60, 2);
    Operation scan = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
    List<Path> dicts = dictionaries();
    assertEquals(1, dicts.size());
    byte[] dict = Files.readAllBytes(dicts.get(0));
    assertEquals(BlobCodec.sha256(dict) + ".dict", dicts.get(0).getFileName().toString(), "named by its SHA-256");
    long id = BlobCodec.idOfDictionary(dict);
    for (BlobPacks.Location l : f.engine.blobs().committed().values()) {
      byte[] stored = f.engine.blobs().readStored(l);
      byte[] frame = java.util.Arrays.copyOfRange(stored, BlobPacks.HEADER, stored.length);
      assertEquals(id, BlobCodec.dictionaryId(frame), "every blob of the scan uses it");
    }
    f.reopenEngine();
    for (Account a : List.of(ann, ben)) {
      for (Item i : f.store.items(a.id())) {
        assertArrayEquals(f.store.content(a.id(), i.id()), f.engine.blobs().read(i.digest()));
      }
    }
    deliverMail(ann, 80, 3);
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
    assertEquals(dicts, dictionaries(), "one dictionary per path: later scans use it, they train none");
  }

  @Test
  void littleMailIsStoredWithoutADictionary() throws Exception {
    f.deliver(ann, 10, "m");
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
    assertTrue(dictionaries().isEmpty());
    for (Item i : f.store.items(ann.id())) {
      assertArrayEquals(f.store.content(ann.id(), i.id()), f.engine.blobs().read(i.digest()));
    }
  }

  @Test
  void aDamagedDictionaryIsReportedAndItsBlobsAreKeptNotQuarantined() throws Exception {
    deliverMail(ann, 70, 4);
    deliverMail(ben, 70, 5);
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
    Path dict = dictionaries().get(0);
    byte[] bytes = Files.readAllBytes(dict);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(dict, bytes);
    f.reopenEngine();
    Item i = f.store.items(ann.id()).get(0);
    DictionaryUnavailableException e = assertThrows(DictionaryUnavailableException.class,
        () -> f.engine.blobs().read(i.digest()));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    int indexed = f.engine.blobs().count();

    Operation fix = f.run("doCoherencyCheck", Map.of("fixBackup", "true"));
    assertTrue(fix.stats().verdict().contains("restore the dictionary file"), fix.stats().verdict());
    assertEquals(0, fix.stats().counter("blobsCorrupt"));
    assertEquals(indexed, f.engine.blobs().count(), "blobs that need the dictionary stay indexed");

    bytes[bytes.length / 2] ^= 0x40; // the copy an operator restores
    Files.write(dict, bytes);
    f.reopenEngine();
    assertArrayEquals(f.store.content(ann.id(), i.id()), f.engine.blobs().read(i.digest()),
        "the restored dictionary makes them readable again");
    Operation check = f.run("doCoherencyCheck", Map.of("fixBackup", "false"));
    assertEquals(OperationState.SUCCEEDED, check.state(), check.stats().verdict());
    assertTrue(f.engine.blobs().unusableDictionaries().isEmpty());
  }
}
