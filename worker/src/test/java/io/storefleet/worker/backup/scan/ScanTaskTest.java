package io.storefleet.worker.backup.scan;

import io.storefleet.worker.backup.BackupFixture;
import io.storefleet.worker.backup.TwoAccountBackupTest;
import io.storefleet.worker.backup.command.BackupOperations;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.ItemState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScanTaskTest extends TwoAccountBackupTest {
  @BeforeEach
  void deliver() throws Exception {
    f.deliver(ann, 4, "m");
    f.deliver(ben, 2, "m");
  }

  @Test
  void anIncrementalScanRecordsEveryKindOfChangeInAnAccountWhoseOtherItemsItLeavesAlone() throws Exception {
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
    List<Item> items = f.store.items(ann.id());
    f.store.moveItem(ann.id(), items.get(0).id(), Folder.TRASH);
    f.store.setFlags(ann.id(), items.get(1).id(), Set.of("seen"));
    f.store.deleteItem(ann.id(), items.get(2).id());
    f.deliver(ann, 1, "new");
    Operation next = f.smartScan();
    assertEquals(1, next.stats().counter("itemsNew"));
    assertEquals(2, next.stats().counter("itemsChanged"));
    assertEquals(1, next.stats().counter("itemsDeleted"));
    assertEquals(1 + 2, next.stats().counter("itemsUnchanged"), "ann's untouched item and ben's two");
    for (Item i : f.store.items(ann.id())) {
      ItemState s = f.engine.history(ann.id()).latest(i.id());
      assertEquals(i.folderId(), s.folderId());
      assertEquals(i.flags(), s.flags());
    }
    assertTrue(f.engine.history(ann.id()).latest(items.get(2).id()).deleted());
  }

  @Test
  void fullThenIncrementalScanTouchesOnlyChangedAccounts() throws Exception {
    Operation first = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, first.state(), String.valueOf(first.error()));
    assertEquals(6, first.stats().counter("itemsNew"));
    assertEquals(4, first.stats().counter("blobsWritten"), "ben's two messages are ann's first two: stored once");

    Item moved = f.store.items(ann.id()).get(0);
    f.store.moveItem(ann.id(), moved.id(), Folder.TRASH);
    Operation second = f.smartScan();
    assertEquals(1, second.stats().counter("accountsScanned"));
    assertEquals(1, second.stats().counter("accountsSkipped"));
    assertEquals(1, second.stats().counter("itemsChanged"));
    assertEquals(0, second.stats().counter("bytesRead"), "a move needs no content");

    Operation third = f.smartScan();
    assertEquals(0, third.stats().counter("accountsScanned"));
    assertEquals(2, third.stats().counter("accountsSkipped"));

    f.store.deleteItem(ben.id(), f.store.items(ben.id()).get(0).id());
    Operation fourth = f.run("doAccountScan", Map.of("account", "ben@example.com"));
    assertEquals(1, fourth.stats().counter("itemsDeleted"));

    for (Item i : f.store.items(ann.id())) {
      assertArrayEquals(f.store.content(ann.id(), i.id()), f.engine.blobs().read(i.digest()));
    }
    String items = Files.readString(dir.resolve("backup/accounts").resolve(ann.id()).resolve("items.log"));
    assertEquals(6, items.lines().count(), "4 first states, 1 move and the move's scan position, never rewritten");
    // Plain text that grep can search: the subject is a field of its own, the item id leads the record.
    assertTrue(items.lines().anyMatch(l -> l.split("\t")[10].equals("m0")), items);
    assertTrue(items.lines().limit(5).allMatch(l -> l.matches("[0-9a-f]{8} \\d+\t.*")), items);
    assertTrue(items.lines().skip(5).allMatch(l -> l.matches("[0-9a-f]{8} pos\t\\d+\t.*")), items);
  }

  @Test
  void oneMessageDeliveredToFiveAccountsOccupiesOneBlob() throws Exception {
    byte[] raw = BackupFixture.message("to everyone", "the same bytes for five mailboxes");
    for (int i = 0; i < 5; i++) {
      Account a = f.account("five" + i + "@example.com");
      f.store.addMessages(a.id(), Folder.INBOX, List.of(raw), Set.of(), Set.of());
    }
    int before = f.engine.blobs().count();
    Operation scan = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, scan.state());
    assertEquals(before + 4 + 1, f.engine.blobs().count(), "4 distinct messages of ann and ben, 1 for the five");
    assertEquals(1, f.engine.blobs().committed().keySet().stream()
        .filter(d -> d.equals(BlobCodec.sha256(raw))).count());
    long packBytes = 0;
    try (Stream<Path> s = Files.list(dir.resolve("backup/blobs/packs"))) {
      for (Path p : s.toList()) {
        packBytes += Files.size(p);
      }
    }
    assertEquals(f.engine.blobs().storedBytes(), packBytes, "no copy of any blob beyond the first");
  }

  @Test
  void deepScanRereadsEveryItemAndFailsOnBrokenContentKeepingItsStats() throws Exception {
    f.smartScan();
    Operation deep = f.run("doSmartScan", Map.of("deep", "true"));
    assertEquals(OperationState.SUCCEEDED, deep.state());
    assertTrue(deep.stats().counter("bytesRead") > 0, "deep reads content even when nothing changed");

    Item victim = f.store.items(ann.id()).get(2);
    Path blob;
    try (Stream<Path> files = Files.walk(dir.resolve("store/blobs"))) {
      blob = files.filter(p -> p.getFileName().toString().startsWith(victim.digest())).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(blob);
    bytes[0] ^= 0x20;
    Files.write(blob, bytes);
    Operation broken = f.run("doSmartScan", Map.of("deep", "true"));
    assertEquals(OperationState.FAILED, broken.state());
    assertEquals("IO_ERROR", broken.error().code());
    assertEquals(1, broken.stats().counter("itemsUnreadable"));
    assertEquals(victim.id(), broken.stats().unrestored().get(0).itemId());
    assertEquals("ann@example.com", broken.stats().unrestored().get(0).account());
  }

  @Test
  void bloblessModeKeepsMetadataAndHistoryWithoutContent() throws Exception {
    f.blobless = true;
    Operation scan = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, scan.state());
    assertEquals(0, f.engine.blobs().count());
    assertEquals(6, scan.stats().counter("itemsNew"));
    ItemState s = f.engine.history(ann.id()).latestStates().get(0);
    assertFalse(s.hasBlob());

    f.blobless = false;
    Operation after = f.smartScan();
    assertEquals(2, after.stats().counter("accountsScanned"), "content left out must be fetched when blobs are back");
    assertEquals(4, f.engine.blobs().count());
    assertTrue(f.engine.history(ann.id()).latestStates().stream().allMatch(ItemState::hasBlob));
  }

  @Test
  void accountsOfACosWithBackupDisabledAreTreatedAsDeletedUntilReEnabled() throws Exception {
    f.smartScan();
    f.store.setCosNotes("default", CosBackupMarker.withMarker("kept notes"));
    Operation off = f.smartScan();
    assertEquals(2, off.stats().counter("accountsExcluded"));
    assertEquals(6, off.stats().counter("itemsDeleted"));
    assertTrue(f.engine.history(ann.id()).lastSnapshot().deleted());
    assertEquals("backup disabled for COS default", f.engine.history(ann.id()).lastSnapshot().excluded());

    f.store.setCosNotes("default", CosBackupMarker.withoutMarker(f.store.cos("default").orElseThrow().notes()));
    assertEquals("kept notes", f.store.cos("default").orElseThrow().notes());
    Operation on = f.smartScan();
    assertEquals(6, on.stats().counter("itemsNew"));
    assertFalse(f.engine.history(ann.id()).lastSnapshot().deleted());
  }

  @Test
  void accountsGoneFromTheStoreAreMarkedDeleted() throws Exception {
    f.smartScan();
    f.store.deleteAccount(ben.id());
    Operation scan = f.smartScan();
    assertEquals(1, scan.stats().counter("accountsDeleted"));
    AccountSnapshot last = f.engine.history(ben.id()).lastSnapshot();
    assertTrue(last.deleted());
    assertTrue(f.engine.history(ben.id()).latestStates().stream().allMatch(ItemState::deleted));
  }

  @Test
  void parametersThatAreNotBuiltAreRefusedNotIgnored() {
    CommandParser parser = new CommandParser();
    var cmd = parser.parse(Module.BACKUP, List.of("doSmartScan", "read_error_threshold", "3"));
    StorefleetException e = assertThrows(StorefleetException.class, () -> BackupOperations.refuseUnbuilt(cmd, "mbox1"));
    assertEquals(ErrorCode.NOT_IMPLEMENTED, e.code());
    assertTrue(e.getMessage().contains("read_error_threshold"), e.getMessage());
    BackupOperations.refuseUnbuilt(parser.parse(Module.BACKUP, List.of("doSmartScan", "deep", "true")), "mbox1");
  }

  @Test
  void aBackupPathOfAnUnknownVersionIsRefused() throws Exception {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("storefleet-backup.json"), "{\"format\":\"storefleet-backup\",\"version\":99}");
    StorefleetException e = assertThrows(StorefleetException.class, () -> BackupPath.open(other, "mbox1"));
    assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    Path stray = dir.resolve("stray");
    Files.createDirectories(stray);
    Files.writeString(stray.resolve("notes.txt"), "not a backup");
    StorefleetException e2 = assertThrows(StorefleetException.class, () -> BackupPath.open(stray, "mbox1"));
    assertTrue(e2.getMessage().contains("not empty"), e2.getMessage());
  }
}
