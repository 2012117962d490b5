package io.storefleet.worker.backup.maintenance;

import io.storefleet.worker.backup.BackupFixture;
import io.storefleet.worker.backup.TwoAccountBackupTest;
import io.storefleet.worker.backup.format.BackupHistoryReader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PurgeTaskTest extends TwoAccountBackupTest {
  @BeforeEach
  void deliver() throws Exception {
    f.deliver(ann, 5, "a");
    f.deliver(ben, 2, "b");
    f.smartScan();
  }

  private Operation purge(int days) {
    return f.run("doPurge", Map.of("purgeDays", Integer.toString(days)));
  }

  @Test
  void deletedItemsAgeOutOnlyAfterTheRetention() throws Exception {
    List<Item> items = f.store.items(ann.id());
    Item gone = items.get(0);
    f.store.deleteItem(ann.id(), gone.id());
    f.smartScan();

    f.clock.advance(Duration.ofDays(29));
    Operation early = purge(30);
    assertEquals(OperationState.SUCCEEDED, early.state());
    assertEquals(0, early.stats().counter("itemsPurged"), "deleted 29 days ago, retention 30");
    assertTrue(f.engine.blobs().has(gone.digest()));

    f.clock.advance(Duration.ofDays(2));
    Operation late = purge(30);
    assertEquals(1, late.stats().counter("itemsPurged"));
    // Issue 18, item 12: the verdict's date is written like every other date, and the count is of accounts.
    assertTrue(late.stats().verdict().matches(
        "(?s).*deleted before \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d \\(retention 30 days\\).*"),
        late.stats().verdict());
    assertEquals("accounts", late.progress().unit());
    assertEquals(2, late.stats().counter("statesRemoved"), "its first state and its deletion");
    assertEquals(1, late.stats().counter("blobsRemoved"));
    assertFalse(f.engine.blobs().has(gone.digest()));
    assertTrue(late.stats().counter("bytesFreed") > 0);
    for (Item i : f.store.items(ann.id())) {
      assertArrayEquals(f.store.content(ann.id(), i.id()), f.engine.blobs().read(i.digest()), "survivors readable");
    }
    assertTrue(new BackupHistoryReader(f.engine).itemStates(ann.id()).stream().noneMatch(s -> s.id() == gone.id()));
  }

  @Test
  void aBlobStillReferencedElsewhereIsKept() throws Exception {
    byte[] shared = BackupFixture.message("shared", "same bytes in two mailboxes");
    Item a = f.store.addMessages(ann.id(), Folder.INBOX, List.of(shared), Set.of(), Set.of()).get(0);
    f.store.addMessages(ben.id(), Folder.INBOX, List.of(shared), Set.of(), Set.of());
    f.smartScan();
    f.store.deleteItem(ann.id(), a.id());
    f.smartScan();
    f.clock.advance(Duration.ofDays(40));
    Operation p = purge(30);
    assertEquals(1, p.stats().counter("itemsPurged"));
    assertEquals(0, p.stats().counter("blobsRemoved"), "ben's copy still names it");
    assertArrayEquals(shared, f.engine.blobs().read(a.digest()));
  }

  @Test
  void zeroDaysIsInfiniteRetentionAndEndsAtOnce() throws Exception {
    f.store.deleteItem(ann.id(), f.store.items(ann.id()).get(0).id());
    f.smartScan();
    int states = new BackupHistoryReader(f.engine).itemStates(ann.id()).size();
    int blobs = f.engine.blobs().count();
    f.clock.advance(Duration.ofDays(3650));
    Operation p = purge(0);
    assertEquals(OperationState.SUCCEEDED, p.state());
    assertTrue(p.stats().verdict().contains("infinite"), p.stats().verdict());
    assertEquals(0, p.stats().counter("accountsChecked"), "exits before reading anything");
    assertEquals(states, new BackupHistoryReader(f.engine).itemStates(ann.id()).size());
    assertEquals(blobs, f.engine.blobs().count());
  }

  @Test
  void deletedAccountsGoWholeAfterTheRetention() throws Exception {
    f.store.deleteAccount(ben.id());
    f.smartScan();
    f.clock.advance(Duration.ofDays(31));
    Operation p = purge(30);
    assertEquals(1, p.stats().counter("accountsPurged"));
    assertFalse(Files.exists(dir.resolve("backup/accounts").resolve(ben.id())));
    assertTrue(Files.exists(dir.resolve("backup/accounts").resolve(ann.id()).resolve("items.log")));
    Operation check = f.run("doCoherencyCheck", Map.of());
    assertEquals(OperationState.SUCCEEDED, check.state(), String.valueOf(check.error()));
  }
}
