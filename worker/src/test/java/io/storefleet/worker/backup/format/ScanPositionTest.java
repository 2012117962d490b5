package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.TwoAccountBackupTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scan that finds only item changes records a scan position after the states instead of a new
 * account snapshot (format version 4): one forced write per changed account. The position must
 * let later scans skip the account, survive a restart, and never vouch for states that a torn
 * write lost.
 */
class ScanPositionTest extends TwoAccountBackupTest {
  @BeforeEach
  void deliver() throws Exception {
    f.deliver(ann, 4, "m");
    f.deliver(ben, 2, "b");
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
  }

  private Path itemsLog(Account a) {
    return dir.resolve("backup/accounts").resolve(a.id()).resolve("items.log");
  }

  private List<String> records(Path log) throws Exception {
    return AppendLog.inspect(log).records();
  }

  private List<String> snapshots(Account a) throws Exception {
    return records(dir.resolve("backup/accounts").resolve(a.id()).resolve("account.log"));
  }

  @Test
  void anItemOnlyChangeIsRecordedWithAPositionThatLaterScansAndARestartTrust() throws Exception {
    Item moved = f.store.items(ann.id()).get(0);
    f.store.moveItem(ann.id(), moved.id(), Folder.TRASH);
    f.store.setFlags(ann.id(), f.store.items(ann.id()).get(1).id(), Set.of("seen"));
    Operation scan = f.smartScan();
    assertEquals(2, scan.stats().counter("itemsChanged"));
    assertEquals(1, snapshots(ann).size(), "no new snapshot: the account, folders and grants are the same");
    List<String> items = records(itemsLog(ann));
    assertTrue(ScanPosition.is(items.get(items.size() - 1)), "the position follows the states: " + items);
    assertEquals(f.store.lastSequence(), ScanPosition.decode(items.get(items.size() - 1)).seq());

    assertEquals(2, f.smartScan().stats().counter("accountsSkipped"), "skipped on the position");
    f.reopenEngine();
    Operation afterRestart = f.smartScan();
    assertEquals(2, afterRestart.stats().counter("accountsSkipped"), "the position is read back from items.log");
    assertEquals(0, afterRestart.stats().counter("accountsScanned"));

    Operation check = f.run("doCoherencyCheck", Map.of("fixBackup", "false"));
    assertEquals(OperationState.SUCCEEDED, check.state(), check.stats().verdict());
    assertEquals(Folder.TRASH, new BackupHistoryReader(f.engine).itemStates(ann.id()).stream()
        .filter(s -> s.id() == moved.id()).reduce((a, b) -> b).orElseThrow().folderId());
  }

  @Test
  void aFolderChangeStillWritesASnapshot() throws Exception {
    f.store.createFolder(ann.id(), "/Inbox/Projects", "message");
    f.store.moveItem(ann.id(), f.store.items(ann.id()).get(0).id(), Folder.TRASH);
    f.smartScan();
    assertEquals(2, snapshots(ann).size());
    assertFalse(records(itemsLog(ann)).stream().anyMatch(ScanPosition::is), "a snapshot carries the position");
    assertEquals(2, f.smartScan().stats().counter("accountsSkipped"));
  }

  @Test
  void aTornPositionIsCutAtRestartAndTheAccountIsComparedAgain() throws Exception {
    f.store.moveItem(ann.id(), f.store.items(ann.id()).get(0).id(), Folder.TRASH);
    f.smartScan();
    f.realtime.close();
    f.engine.close();
    // A kill in the middle of the write: the position's record lost its last bytes.
    cutLastBytes(itemsLog(ann), 5);
    f.openEngine();
    Operation next = f.smartScan();
    assertEquals(1, next.stats().counter("accountsScanned"), "the torn position vouches for nothing");
    assertEquals(0, next.stats().counter("itemsChanged"), "the move's state was whole and is not recorded twice");
    assertTrue(ScanPosition.is(records(itemsLog(ann)).get(records(itemsLog(ann)).size() - 1)));
    assertEquals(2, f.smartScan().stats().counter("accountsSkipped"));
  }

  @Test
  void aWriteTornInsideItsStatesLosesThePositionWithThemAndTheNextScanRecordsBoth() throws Exception {
    List<Item> items = f.store.items(ann.id());
    f.store.moveItem(ann.id(), items.get(0).id(), Folder.TRASH);
    f.store.moveItem(ann.id(), items.get(1).id(), Folder.TRASH);
    f.smartScan();
    f.realtime.close();
    f.engine.close();
    List<String> before = records(itemsLog(ann));
    String position = before.get(before.size() - 1);
    String lastState = before.get(before.size() - 2);
    // The position's record and half of the last state are gone (each record is "<crc> <text>\n").
    cutLastBytes(itemsLog(ann), (9 + position.length() + 1) + (9 + lastState.length() + 1) / 2);
    f.openEngine();
    Operation next = f.smartScan();
    assertEquals(1, next.stats().counter("accountsScanned"));
    assertEquals(1, next.stats().counter("itemsChanged"), "only the lost state is recorded again");
    for (Item i : f.store.items(ann.id())) {
      assertEquals(i.folderId(), f.engine.history(ann.id()).latest(i.id()).folderId());
    }
  }

  @Test
  void purgeKeepsTheLastPositionSoTheAccountStaysSkipped() throws Exception {
    for (String flag : List.of("seen", "flagged", "answered")) {
      f.store.setFlags(ann.id(), f.store.items(ann.id()).get(0).id(), Set.of(flag));
      f.smartScan();
    }
    f.store.deleteItem(ann.id(), f.store.items(ann.id()).get(1).id());
    f.smartScan();
    f.clock.advance(Duration.ofDays(40));
    Operation purge = f.run("doPurge", Map.of("purgeDays", "30"));
    assertEquals(OperationState.SUCCEEDED, purge.state(), String.valueOf(purge.error()));
    assertEquals(1, purge.stats().counter("itemsPurged"));
    List<String> kept = records(itemsLog(ann));
    assertEquals(1, kept.stream().filter(ScanPosition::is).count(), "older positions dropped: " + kept);
    assertTrue(ScanPosition.is(kept.get(kept.size() - 1)));
    f.reopenEngine();
    assertEquals(2, f.smartScan().stats().counter("accountsSkipped"));
  }

  @Test
  void theHistoryReaderGivesThePositionAsTheLastRecordedPoint() throws Exception {
    java.time.Instant firstScan = f.clock.instant();
    f.clock.advance(Duration.ofHours(3));
    f.store.moveItem(ben.id(), f.store.items(ben.id()).get(0).id(), Folder.TRASH);
    f.smartScan();
    BackupHistoryReader reader = new BackupHistoryReader(f.engine);
    BackupHistoryReader.Recorded last = reader.items(ben.id()).lastPosition(null).orElseThrow();
    assertEquals(f.store.lastSequence(), last.seq());
    assertEquals(f.clock.instant(), last.at());
    assertTrue(reader.items(ben.id()).lastPosition(firstScan).isEmpty(), "none was recorded by then");
    assertTrue(reader.items(ann.id()).lastPosition(null).isEmpty());
  }

  @Test
  void aVersion3PathIsTakenOverAndItsMarkerSaysVersion4() throws Exception {
    Path old = dir.resolve("old");
    Files.createDirectories(old);
    Files.writeString(old.resolve(BackupPath.MARKER),
        "{\"format\":\"storefleet-backup\",\"version\":3,\"server\":\"mbox1\",\"created\":\"2026-01-01T00:00:00Z\"}");
    String v3 = Files.readString(old.resolve(BackupPath.MARKER));
    BackupPath.openExistingForReading(old, "mbox2");
    assertEquals(v3, Files.readString(old.resolve(BackupPath.MARKER)), "a reader leaves the marker as it is");
    BackupPath p = BackupPath.open(old, "mbox1");
    assertEquals("mbox1", p.serverId());
    String marker = Files.readString(old.resolve(BackupPath.MARKER));
    assertTrue(marker.contains("\"version\":4") && marker.contains("2026-01-01T00:00:00Z"), marker);
  }

  private static void cutLastBytes(Path file, long n) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - n);
    }
  }
}
