package io.storefleet.worker.backup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-form scans, run through a real queue on a real store and backup path. */
class ScanTaskTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  LocalMailStore store;
  BackupPath backup;
  OperationQueue queue;
  Account ann;
  Account ben;

  @BeforeEach
  void open() throws Exception {
    store = LocalMailStore.open(dir.resolve("store"), clock);
    backup = BackupPath.open(dir.resolve("backup"), "mbox1");
    store.createDomain("example.com");
    ann = store.createAccount("ann@example.com", null, Map.of());
    ben = store.createAccount("ben@example.com", null, Map.of());
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      mail.add(("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    store.addMessages(ann.id(), Folder.INBOX, mail, Set.of(), Set.of());
    store.addMessages(ben.id(), Folder.INBOX, mail.subList(0, 2), Set.of(), Set.of());
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock,
        op -> new ScanTask(store, backup, op.params().get("account"), "true".equals(op.params().get("deep"))),
        Pacer.NONE, op -> {});
    queue.start();
  }

  @AfterEach
  void close() throws Exception {
    queue.close();
    store.close();
  }

  private Operation scan(Map<String, String> params) {
    String uuid = queue.submit("doSmartScan", params, "t", null).uuid();
    await().until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return queue.get(uuid).orElseThrow();
  }

  @Test
  void fullThenIncrementalScanTouchesOnlyChangedAccounts() throws Exception {
    Operation first = scan(Map.of());
    assertEquals(OperationState.SUCCEEDED, first.state());
    assertEquals(6, first.stats().counter("itemsNew"));
    assertEquals(4, first.stats().counter("blobsWritten"), "ben's two messages are ann's first two: stored once");

    Item moved = store.items(ann.id()).get(0);
    store.moveItem(ann.id(), moved.id(), Folder.TRASH);
    Operation second = scan(Map.of());
    assertEquals(1, second.stats().counter("accountsScanned"));
    assertEquals(1, second.stats().counter("accountsSkipped"));
    assertEquals(1, second.stats().counter("itemsChanged"));
    assertEquals(0, second.stats().counter("bytesRead"), "a move needs no content");

    store.deleteItem(ben.id(), store.items(ben.id()).get(0).id());
    Operation third = scan(Map.of("account", "ben@example.com"));
    assertEquals(1, third.stats().counter("itemsDeleted"));

    for (Item i : store.items(ann.id())) {
      assertArrayEquals(store.content(ann.id(), i.id()), backup.readBlob(i.digest()));
    }
    String items = Files.readString(dir.resolve("backup/accounts").resolve(ann.id()).resolve("items.log"));
    assertEquals(5, items.lines().count(), "4 first states and 1 move, never rewritten");
  }

  @Test
  void deepScanRereadsEveryItemAndFailsOnBrokenContentKeepingItsStats() throws Exception {
    scan(Map.of());
    Operation deep = scan(Map.of("deep", "true"));
    assertEquals(OperationState.SUCCEEDED, deep.state());
    assertTrue(deep.stats().counter("bytesRead") > 0, "deep reads content even when nothing changed");

    Item victim = store.items(ann.id()).get(2);
    Path blob;
    try (Stream<Path> files = Files.walk(dir.resolve("store/blobs"))) {
      blob = files.filter(p -> p.getFileName().toString().startsWith(victim.digest())).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(blob);
    bytes[0] ^= 0x20;
    Files.write(blob, bytes);
    Operation broken = scan(Map.of("deep", "true"));
    assertEquals(OperationState.FAILED, broken.state());
    assertEquals("IO_ERROR", broken.error().code());
    assertEquals(1, broken.stats().counter("itemsUnreadable"));
    assertEquals(victim.id(), broken.stats().unrestored().get(0).itemId());
    assertEquals("ann@example.com", broken.stats().unrestored().get(0).account());
  }

  @Test
  void parametersThatAreNotBuiltAreRefusedNotIgnored() {
    CommandParser parser = new CommandParser();
    var cmd = parser.parse(Module.BACKUP, List.of("doSmartScan", "notifications", "ops@example.com"));
    StorefleetException e = assertThrows(StorefleetException.class, () -> ScanCommands.refuseUnbuilt(cmd, "mbox1"));
    assertEquals(ErrorCode.NOT_IMPLEMENTED, e.code());
    assertTrue(e.getMessage().contains("notifications"), e.getMessage());
    ScanCommands.refuseUnbuilt(parser.parse(Module.BACKUP, List.of("doSmartScan", "deep", "true")), "mbox1");
  }

  @Test
  void aBackupPathOfAnUnknownVersionIsRefused() throws Exception {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("storefleet-backup.json"), "{\"format\":\"storefleet-backup\",\"version\":99}");
    StorefleetException e = assertThrows(StorefleetException.class, () -> BackupPath.open(other, "mbox1"));
    assertTrue(e.getMessage().contains("version 99"), e.getMessage());
  }
}
