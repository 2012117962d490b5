package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.BackupFixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.TreeCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SmartScan killed between the phases of a group commit. The hook copies the backup path at
 * that moment, as a kill would leave it (written bytes stay, nothing after the phase happens);
 * the copy is then opened like after a restart, checked, and brought up to date by the next scan.
 */
class GroupCommitCrashTest {
  @TempDir Path dir;
  BackupFixture f;
  final List<Account> accounts = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    f = new BackupFixture(dir);
    f.store.createDomain("example.com");
    for (int i = 0; i < 6; i++) {
      Account a = f.account("user" + i + "@example.com");
      accounts.add(a);
      // "m0".."m2" are the same bytes in every mailbox: blobs shared across groups.
      f.deliver(a, 3, "m");
      f.deliver(a, 2, "own" + i + "-");
    }
    // Groups of two accounts, closed only by size or by the end of the scan.
    f.engine.groupLimits(new GroupCommit.Limits(2, 50_000, Long.MAX_VALUE / 4));
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  /** Scans with a hook that copies the backup path after {@code phase} of the {@code group}-th group. */
  private List<String> scanKilledAfter(GroupCommit.Phase phase, int group) throws Exception {
    Path copy = dir.resolve("killed");
    AtomicInteger seen = new AtomicInteger();
    List<String> groupAccounts = new ArrayList<>();
    f.engine.commitHook((p, ids) -> {
      if (p == phase && seen.incrementAndGet() == group) {
        groupAccounts.addAll(ids);
        TreeCopy.copyTree(dir.resolve("backup"), copy);
      }
    });
    Operation scan = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
    assertTrue(seen.get() >= 3, "six accounts in groups of two: " + seen.get() + " groups");
    f.engine.commitHook(null);
    // The restart: the killed copy replaces the backup path and the engine opens it.
    f.realtime.close();
    f.engine.close();
    AccountFiles.deleteTree(dir.resolve("backup"));
    Files.move(copy, dir.resolve("backup"));
    f.openEngine();
    return groupAccounts;
  }

  @Test
  void killedAfterTheBlobsOfAGroupKeepsTheBlobsAndNoStateOrSnapshotOfIt() throws Exception {
    List<String> group = scanKilledAfter(GroupCommit.Phase.BLOBS, 2);
    assertEquals(2, group.size());
    for (String id : group) {
      assertNull(f.engine.history(id).lastSnapshot());
      assertEquals(0, f.engine.history(id).recordCount());
      for (Item i : f.store.items(id)) {
        assertTrue(f.engine.blobs().committed().containsKey(i.digest()), "blob committed before any state names it");
      }
    }
    assertCoherentThenHealed();
  }

  @Test
  void killedAfterTheStatesOfAGroupKeepsItsStatesAndTheNextScanOnlyAddsSnapshots() throws Exception {
    List<String> group = scanKilledAfter(GroupCommit.Phase.STATES, 2);
    for (String id : group) {
      assertNull(f.engine.history(id).lastSnapshot(), "no snapshot before every state of the group is durable");
      assertEquals(f.store.items(id).size(), f.engine.history(id).latestStates().size());
    }
    assertCoherentThenHealed();
  }

  @Test
  void killedAfterTheSnapshotsOfAGroupHasThatGroupCommittedAndSkipsItNextTime() throws Exception {
    List<String> group = scanKilledAfter(GroupCommit.Phase.SNAPSHOTS, 1);
    for (String id : group) {
      AccountSnapshot s = f.engine.history(id).lastSnapshot();
      assertNotNull(s);
      assertEquals(f.store.items(id).size(), f.engine.history(id).latestStates().size());
    }
    Operation next = assertCoherentThenHealed();
    assertEquals(2, next.stats().counter("accountsSkipped"));
  }

  @Test
  void anIncrementalKilledAfterTheStatesOfAGroupHasThatGroupCommittedByItsPositions() throws Exception {
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
    Map<String, Integer> moved = new HashMap<>();
    for (Account a : accounts) {
      Item i = f.store.items(a.id()).get(0);
      f.store.moveItem(a.id(), i.id(), io.storefleet.worker.store.Folder.TRASH);
      moved.put(a.id(), i.id());
    }
    List<String> group = scanKilledAfter(GroupCommit.Phase.STATES, 2);
    for (String id : group) {
      List<String> records = io.storefleet.worker.log.AppendLog.inspect(dir.resolve("backup/accounts").resolve(id).resolve("items.log")).records();
      assertTrue(ScanPosition.is(records.get(records.size() - 1)), "committed by its position: " + records);
    }
    Operation check = f.run("doCoherencyCheck", Map.of("fixBackup", "false"));
    assertEquals(OperationState.SUCCEEDED, check.state(), check.stats().verdict());
    Operation next = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, next.state(), String.valueOf(next.error()));
    assertEquals(2, next.stats().counter("accountsScanned"), "only the third group's accounts");
    assertEquals(4, next.stats().counter("accountsSkipped"));
    assertEquals(2, next.stats().counter("itemsChanged"));
    for (Account a : accounts) {
      long states = new BackupHistoryReader(f.engine).itemStates(a.id()).stream()
          .filter(s -> s.id() == moved.get(a.id())).count();
      assertEquals(2, states, a.name() + ": the first state and the move, nothing twice");
      assertEquals(io.storefleet.worker.store.Folder.TRASH, f.engine.history(a.id()).latest(moved.get(a.id())).folderId());
    }
    assertEquals(accounts.size(), f.smartScan().stats().counter("accountsSkipped"));
  }

  @Test
  void aGroupWhoseStatesCannotBeForcedFailsItsAccountsOnlyAndTheNextScanCommitsThem() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    List<String> failedGroup = new ArrayList<>();
    f.engine.commitHook((p, ids) -> {
      if (p == GroupCommit.Phase.STATES && seen.incrementAndGet() == 2) {
        failedGroup.addAll(ids);
        throw new IOException("disk full");
      }
    });
    Operation scan = f.smartScan();
    assertEquals(OperationState.FAILED, scan.state());
    assertEquals(2, scan.stats().counter("accountsDamaged"));
    assertEquals(4, scan.stats().counter("accountsScanned"), "the other groups are committed");
    assertTrue(scan.stats().verdict().contains("disk full"), scan.stats().verdict());
    f.engine.commitHook(null);
    for (String id : failedGroup) {
      assertNull(f.engine.history(id).lastSnapshot());
    }
    Operation next = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, next.state(), String.valueOf(next.error()));
    assertEquals(2, next.stats().counter("accountsScanned"));
    assertBackupMatchesStore();
  }

  /**
   * Nothing named is missing; the next scan scans exactly the accounts without a snapshot, writes
   * states only for items that have none (nothing twice), and completes the backup.
   */
  private Operation assertCoherentThenHealed() throws Exception {
    Operation check = f.run("doCoherencyCheck", Map.of("fixBackup", "false"));
    assertEquals(OperationState.SUCCEEDED, check.state(), check.stats().verdict());
    long uncommitted = 0;
    long missingStates = 0;
    for (Account a : accounts) {
      AccountHistory h = f.engine.history(a.id());
      if (h.lastSnapshot() == null) {
        uncommitted++;
      }
      missingStates += f.store.items(a.id()).size() - h.latestStates().size();
    }
    assertTrue(uncommitted > 0 && uncommitted < accounts.size(), "killed half way: " + uncommitted);
    Operation next = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, next.state(), String.valueOf(next.error()));
    assertEquals(uncommitted, next.stats().counter("accountsScanned"));
    assertEquals(missingStates, next.stats().counter("itemsNew"));
    assertBackupMatchesStore();
    Operation again = f.smartScan();
    assertEquals(accounts.size(), again.stats().counter("accountsSkipped"));
    return next;
  }

  private void assertBackupMatchesStore() throws Exception {
    for (Account a : accounts) {
      AccountHistory h = f.engine.history(a.id());
      assertNotNull(h.lastSnapshot(), a.name());
      assertFalse(h.lastSnapshot().deleted());
      Map<Integer, Integer> states = new HashMap<>();
      for (ItemState s : new BackupHistoryReader(f.engine).itemStates(a.id())) {
        states.merge(s.id(), 1, Integer::sum);
      }
      for (Item i : f.store.items(a.id())) {
        ItemState s = h.latest(i.id());
        assertNotNull(s, a.name() + " item " + i.id());
        assertEquals(i.digest(), s.digest());
        assertEquals(1, states.get(i.id()), "one state per item: nothing recorded twice");
        assertArrayEquals(f.store.content(a.id(), i.id()), f.engine.blobs().read(i.digest()));
      }
    }
  }
}
