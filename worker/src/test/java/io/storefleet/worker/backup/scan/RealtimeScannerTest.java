package io.storefleet.worker.backup.scan;

import io.storefleet.worker.backup.BackupFixture;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ItemState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealtimeScannerTest {
  private static final Set<Mutation> ITEM_MUTATIONS = EnumSet.of(Mutation.ITEM_CREATED, Mutation.ITEM_MOVED,
      Mutation.ITEM_FLAGS_CHANGED, Mutation.ITEM_TAGS_CHANGED, Mutation.ITEM_DELETED);

  @TempDir Path dir;
  BackupFixture f;
  Account ann;

  @BeforeEach
  void open() throws Exception {
    f = new BackupFixture(dir);
    f.store.createDomain("example.com");
    ann = f.account("ann@example.com");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private void mutate(String prefix) {
    f.deliver(ann, 3, prefix);
    List<Item> items = f.store.items(ann.id());
    Item a = items.get(items.size() - 1);
    Item b = items.get(items.size() - 2);
    f.clock.advance(Duration.ofSeconds(1));
    f.store.setFlags(ann.id(), a.id(), Set.of("seen"));
    f.store.moveItem(ann.id(), a.id(), Folder.TRASH);
    f.store.setTags(ann.id(), b.id(), Set.of("work"));
    f.store.deleteItem(ann.id(), items.get(items.size() - 3).id());
  }

  /** Every item mutation of the journal has exactly one state recorded at its own sequence. */
  private void assertEachItemMutationRecordedOnce() throws Exception {
    Map<Long, Integer> bySeq = new HashMap<>();
    for (ItemState s : new BackupHistoryReader(f.engine).itemStates(ann.id())) {
      bySeq.merge(s.seq(), 1, Integer::sum);
    }
    int mutations = 0;
    for (JournalEntry e : f.store.journal(1, 100_000)) {
      if (ITEM_MUTATIONS.contains(e.type())) {
        mutations++;
        assertEquals(1, bySeq.getOrDefault(e.seq(), 0), "entry " + e.seq() + " " + e.type() + " recorded once");
      } else if (e.type() == Mutation.FOLDER_EMPTIED) {
        int emptied = e.detail().path("itemIds").size();
        mutations += emptied;
        assertEquals(emptied, bySeq.getOrDefault(e.seq(), 0), "each emptied item's deletion recorded once");
      }
    }
    assertEquals(mutations, bySeq.values().stream().mapToInt(Integer::intValue).sum(), "no state without a mutation");
  }

  @Test
  void everyJournalMutationIsRecordedExactlyOnceAcrossADisableEnableCycle() throws Exception {
    f.realtime.start();
    mutate("live");
    f.realtime.catchUp();
    f.realtime.stop();
    mutate("while-off");
    // A restart in the middle: the scanner must resume from where the backup is.
    f.reopenEngine();
    f.realtime.start();
    f.realtime.catchUp();
    f.realtime.catchUp();
    mutate("back-on");
    f.realtime.catchUp();
    assertEachItemMutationRecordedOnce();

    // The SmartScan asked for on re-enabling finds nothing the scanner missed.
    var scan = f.smartScan();
    assertEquals(0, scan.stats().counter("itemsNew") + scan.stats().counter("itemsChanged")
        + scan.stats().counter("itemsDeleted"), String.valueOf(scan.stats().counters()));
    assertEachItemMutationRecordedOnce();
  }

  @Test
  void statesAreDatedWithTheMutationTime() throws Exception {
    f.deliver(ann, 1, "dated");
    Item i = f.store.items(ann.id()).get(0);
    var when = f.clock.advance(Duration.ofMinutes(5));
    f.store.setFlags(ann.id(), i.id(), Set.of("flagged"));
    f.clock.advance(Duration.ofHours(1));
    f.realtime.catchUp();
    ItemState last = f.engine.history(ann.id()).latest(i.id());
    assertEquals(when, last.since());
    assertTrue(last.flags().contains("flagged"));
    assertTrue(last.hasBlob());
    assertEquals(1, f.engine.blobs().count());
  }

  @Test
  void aScanFirstThenTheScannerRecordsNothingTwice() throws Exception {
    mutate("scan-first");
    f.smartScan();
    long before = f.engine.history(ann.id()).recordCount();
    f.realtime.catchUp();
    assertEquals(before, f.engine.history(ann.id()).recordCount(), "entries the scan reflected are skipped");
    mutate("after");
    f.realtime.catchUp();
    assertTrue(f.engine.history(ann.id()).recordCount() > before);
  }

  @Test
  void entriesAScanPositionCoversAreSkippedEvenForItemsTheScanNeverSaw() throws Exception {
    f.deliver(ann, 2, "first");
    f.smartScan();
    f.realtime.catchUp();
    // While the scanner lags: an item that comes and goes, and a move.
    f.deliver(ann, 1, "brief");
    Item brief = f.store.items(ann.id()).stream().filter(i -> "brief0".equals(i.subject())).findFirst().orElseThrow();
    f.store.deleteItem(ann.id(), brief.id());
    f.store.moveItem(ann.id(), f.store.items(ann.id()).get(0).id(), Folder.TRASH);
    f.smartScan();
    assertTrue(f.engine.history(ann.id()).recordedUpTo() > f.engine.history(ann.id()).lastSnapshot().seq(),
        "the scan recorded a position, not a snapshot");
    long before = f.engine.history(ann.id()).recordCount();
    f.realtime.catchUp();
    assertEquals(before, f.engine.history(ann.id()).recordCount(), "the position vouches for every entry up to it");
    assertEquals(null, f.engine.history(ann.id()).latest(brief.id()), "the item the scan never saw stays unrecorded");
  }

  @Test
  void anEmptiedFolderAsksForAnAccountScanBeforeAnyRestore() throws Exception {
    f.deliver(ann, 4, "e");
    f.realtime.catchUp();
    f.store.emptyFolder(ann.id(), Folder.INBOX);
    f.realtime.catchUp();
    AccountSnapshot snap = f.engine.history(ann.id()).lastSnapshot();
    assertNotNull(snap.uncertain(), "the manual's emptied-folder rule");
    assertTrue(f.engine.history(ann.id()).latestStates().stream().allMatch(ItemState::deleted));
    f.run("doAccountScan", Map.of("account", "ann@example.com"));
    assertNull(f.engine.history(ann.id()).lastSnapshot().uncertain(), "the account scan clears it");
  }

  @Test
  void aKillBetweenItemStatesAndTheAccountSnapshotIsReplayedWithoutDuplicates() throws Exception {
    f.deliver(ann, 3, "k");
    f.realtime.catchUp();
    f.store.emptyFolder(ann.id(), Folder.INBOX);
    f.realtime.catchUp();
    f.realtime.close();
    f.engine.close();
    // As if killed after the item states of the last batch but before its snapshot and cursor.
    Path accountLog = dir.resolve("backup/accounts").resolve(ann.id()).resolve("account.log");
    List<String> lines = java.nio.file.Files.readAllLines(accountLog);
    java.nio.file.Files.write(accountLog, lines.subList(0, lines.size() - 1));
    Path cursor = dir.resolve("backup/server/realtime.log");
    List<String> positions = java.nio.file.Files.readAllLines(cursor);
    java.nio.file.Files.write(cursor, positions.subList(0, 1));
    f.openEngine();
    f.realtime.catchUp();
    assertNotNull(f.engine.history(ann.id()).lastSnapshot().uncertain(), "the emptied-folder marker is not lost");
    assertEachItemMutationRecordedOnce();
  }

  @Test
  void accountsOfADisabledCosAreIgnored() throws Exception {
    f.store.setCosNotes("default", CosBackupMarker.withMarker(""));
    f.deliver(ann, 2, "ignored");
    f.realtime.catchUp();
    assertEquals(0, f.engine.blobs().count());
    assertEquals(0, f.engine.history(ann.id()).recordCount());
  }
}
