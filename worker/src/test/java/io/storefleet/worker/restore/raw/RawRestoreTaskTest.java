package io.storefleet.worker.restore.raw;

import io.storefleet.worker.testing.ForwardingMailStore;
import static io.storefleet.worker.restore.raw.LostServer.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawRestoreTaskTest {
  @TempDir Path dir;

  private static void succeeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), () -> op.error() + "\n" + OperationText.stats(op.stats()));
  }

  private static void failed(Operation op, ErrorCode code) {
    assertEquals(OperationState.FAILED, op.state(), () -> OperationText.stats(op.stats()));
    assertEquals(code.name(), op.error().code(), op.error().message());
    assertTrue(op.stats().verdict() != null && !op.stats().counters().isEmpty(), "a failure keeps the stats");
  }

  @Test
  void restoresEveryAccountFolderAndItemWithItsOriginalIdsButNoContent() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      long lostPosition = f.store.lastSequence();
      f.replaceStore();
      long recorded = Math.max(lostPosition, f.realtime.cursor());

      Operation op = f.run("doRawRestore", f.backupPath.toString());

      succeeded(op);
      lost.assertMailboxes(f.store);
      assertEquals(List.of("ann@example.com", "bob@other.org", "john@example.com"),
          f.store.accounts().stream().map(Account::name).toList(), "tina's COS had backup disabled, temp was deleted");
      assertEquals(lost.domains(), f.store.domains());
      assertEquals(lost.coses(), f.store.coses(), "COS with their original ids (the default one too) and notes");
      assertEquals(lost.lists(), f.store.distributionLists());
      for (Account a : lost.accounts().values()) {
        for (Item i : f.store.items(a.id())) {
          StorefleetException e = assertThrows(StorefleetException.class, () -> f.store.content(a.id(), i.id()));
          assertTrue(e.getMessage().contains("doRestoreBlobs"), e.getMessage());
        }
      }
      assertEquals(lost.items().values().stream().mapToInt(List::size).sum(), f.store.missingContent(1).size());

      JournalEntry first = f.store.journal(2, 1).get(0);
      assertEquals(Mutation.JOURNAL_ADVANCED, first.type(), "the journal continues before anything is restored");
      assertTrue(first.seq() > recorded, first.seq() + " must be past every recorded position " + recorded);
      assertEquals(first.seq(), op.stats().counter("journalPosition"));

      assertEquals(lost.itemsAndUserFolders(), op.stats().counter("restored"));
      assertEquals(0, op.stats().counter("skipped"));
      assertEquals(0, op.stats().counter("unrestored"));
      assertEquals(3, op.stats().counter("accountsRestored"));
      assertEquals(2, op.stats().counter("accountsDeletedInBackup"));
      assertEquals(1, op.stats().counter("grantsRestored"));
      assertTrue(op.stats().verdict().contains("verified"), op.stats().verdict());
      assertTrue(op.stats().verdict().contains("doRestoreBlobs"), op.stats().verdict());
      assertEquals(1, f.peers.publishes, "restored accounts are published to the directory");
      assertEquals(100, op.progress().percent());
    }
  }

  @Test
  void skipProvisioningRestoresOnlyMailboxesAndNamesWhatIsMissing() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();

      Operation op = f.run("doRawRestore", f.backupPath.toString(), "skipProvisioning", "true");

      failed(op, ErrorCode.IO_ERROR);
      assertEquals(3, op.stats().counter("accountsRefused"));
      assertEquals(lost.itemsAndUserFolders(), op.stats().counter("unrestored"));
      Unrestored john = op.stats().unrestored().stream().filter(u -> u.account().equals("john@example.com"))
          .findFirst().orElseThrow();
      assertTrue(john.cause().contains("example.com") && john.cause().contains("skipProvisioning false"), john.cause());
      assertTrue(f.store.accounts().isEmpty());
      assertTrue(f.store.domains().isEmpty(), "skipProvisioning restores no domain");

      // What the full restore on the first server would have put here.
      f.store.createDomain("example.com");
      f.store.createDomain("other.org");
      f.store.createCos("staff", "");
      op = f.run("doRawRestore", f.backupPath.toString(), "skipProvisioning", "true");

      succeeded(op);
      lost.assertMailboxes(f.store);
      assertTrue(f.store.distributionLists().isEmpty(), "lists are provisioning");
      assertEquals(0, op.stats().counter("provisioningRestored"));
      assertEquals(0, f.peers.adminCalls);
    }
  }

  @Test
  void fullRestoreProvisionsTheOtherServersOnceAndNamesOneThatIsDown() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();
      MailStore mbox2 = LocalMailStore.open(dir.resolve("mbox2"), new MutableClock(f.clock.instant()));
      MailStore mbox3 = LocalMailStore.open(dir.resolve("mbox3"), new MutableClock(f.clock.instant()));
      f.peers.servers.put("mbox2", mbox2);
      f.peers.servers.put("mbox3", mbox3);
      f.peers.down.add("mbox3");

      Operation op = f.run("doRawRestore", f.backupPath.toString());

      failed(op, ErrorCode.IO_ERROR);
      assertTrue(op.stats().verdict().contains("mbox3"), op.stats().verdict());
      lost.assertMailboxes(f.store);
      assertEquals(1, op.stats().counter("serversProvisioned"));
      assertEquals(List.of("example.com", "other.org"), mbox2.domains().stream().map(d -> d.name()).toList());
      assertEquals("${ZxBackup_Disabled}", mbox2.cos("trial").orElseThrow().notes());
      assertEquals(lost.lists().get(0).members(), mbox2.distributionLists().get(0).members());

      f.peers.down.clear();
      op = f.run("doRawRestore", f.backupPath.toString());

      succeeded(op);
      assertEquals(2, op.stats().counter("serversProvisioned"));
      assertEquals(List.of("example.com", "other.org"), mbox3.domains().stream().map(d -> d.name()).toList());
      long pushed = op.stats().counter("provisioningPushed");
      assertEquals(lost.domains().size() + lost.coses().size() - 1 + lost.lists().size(), pushed,
          "only mbox3 lacked anything (every store has a default COS)");
    }
  }

  @Test
  void reRunSkipsWhatIsThereAndBringsBackWhatWentMissing() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();
      succeeded(f.run("doRawRestore", f.backupPath.toString()));
      long position = f.store.lastSequence();

      Operation again = f.run("doRawRestore", f.backupPath.toString());

      succeeded(again);
      assertEquals(0, again.stats().counter("restored"));
      assertEquals(lost.itemsAndUserFolders(), again.stats().counter("skipped"));
      assertEquals(3, again.stats().counter("accountsCompleted"));
      assertEquals(position, f.store.lastSequence(), "a re-run of a complete restore changes nothing");

      // The backup records this deletion (the restore's echo); the restore still brings the item back.
      Account john = lost.accounts().get("john@example.com");
      Item gone = f.store.items(john.id()).get(0);
      f.store.deleteItem(john.id(), gone.id());
      f.realtime.catchUp();
      assertTrue(new BackupHistoryReader(f.engine).itemStates(john.id()).stream()
          .anyMatch(s -> s.id() == gone.id() && s.deleted()));

      Operation third = f.run("doRawRestore", f.backupPath.toString());

      succeeded(third);
      assertEquals(1, third.stats().counter("restored"));
      lost.assertMailboxes(f.store);
    }
  }

  @Test
  void aConflictingMailboxIsRefusedUnlessDeleteWhenConflict() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();
      f.store.createDomain("example.com");
      Account squatter = f.store.createAccount("john@example.com", null, Map.of());
      f.store.addMessages(squatter.id(), Folder.INBOX, List.of(message("x", 1)), Set.of(), Set.of());

      Operation op = f.run("doRawRestore", f.backupPath.toString());

      failed(op, ErrorCode.CONFLICT);
      Unrestored refused = op.stats().unrestored().get(0);
      assertEquals("john@example.com", refused.account());
      assertEquals(0, refused.itemId());
      assertTrue(refused.cause().contains(squatter.id()) && refused.cause().contains("deleteWhenConflict true"),
          refused.cause());
      assertEquals(1, op.stats().counter("accountsRefused"));
      assertEquals(2, op.stats().counter("accountsRestored"), "the other accounts are restored");
      assertEquals(squatter.id(), f.store.account("john@example.com").orElseThrow().id());

      op = f.run("doRawRestore", f.backupPath.toString(), "deleteWhenConflict", "true");

      succeeded(op);
      assertEquals(1, op.stats().counter("mailboxesDeleted"));
      lost.assertMailboxes(f.store);
      assertTrue(f.store.account(squatter.id()).isEmpty());
    }
  }

  @Test
  void aMailboxWithTheSameIdButOtherItemsIsReplacedOnlyWithDeleteWhenConflict() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();
      succeeded(f.run("doRawRestore", f.backupPath.toString()));
      Account bob = lost.accounts().get("bob@other.org");
      Item first = f.store.items(bob.id()).get(0);
      f.store.deleteItem(bob.id(), first.id());
      Item other = new Item(first.id(), Folder.INBOX, first.type(), 3, "a".repeat(64), Set.of(), Set.of(), 0, null,
          null, "", "", "");
      f.store.restoreItems(bob.id(), List.of(other));

      Operation op = f.run("doRawRestore", f.backupPath.toString());

      failed(op, ErrorCode.CONFLICT);
      assertTrue(op.stats().unrestored().get(0).cause().contains("has item " + first.id()),
          op.stats().unrestored().get(0).cause());

      op = f.run("doRawRestore", f.backupPath.toString(), "deleteWhenConflict", "true");

      succeeded(op);
      assertEquals(1, op.stats().counter("mailboxesDeleted"));
      lost.assertMailboxes(f.store);
    }
  }

  @Test
  void verificationFailsWhenTheStoreDoesNotKeepWhatItIsGiven() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.populate(f);
      f.replaceStore(real -> new ForwardingMailStore(real) {
        @Override
        public List<Item> restoreItems(String accountId, List<Item> items) {
          // A store that files every restored item in the Inbox.
          return delegate.restoreItems(accountId, items.stream().map(i -> new Item(i.id(), Folder.INBOX, i.type(),
              i.size(), i.digest(), i.flags(), i.tags(), 0, null, i.receivedAt(), i.subject(), i.from(), i.to()))
              .toList());
        }
      });

      Operation op = f.run("doRawRestore", f.backupPath.toString());

      failed(op, ErrorCode.IO_ERROR);
      assertTrue(op.stats().verdict().contains("does not match the backup"), op.stats().verdict());
      assertTrue(op.stats().verdict().contains("in folder 2, the backup has"), op.stats().verdict());
      assertTrue(op.stats().counter("restored") > 0, "the stats of what was done are kept");
    }
  }

  @Test
  void aScanOfTheStillEmptyReplacementDoesNotHideTheLostAccounts() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();
      LostServer.scan(f); // records every account as gone, at the new store's low positions
      String johnId = lost.accounts().get("john@example.com").id();
      assertTrue(new BackupHistoryReader(f.engine).snapshotAt(johnId, null).orElseThrow().deleted());

      Operation op = f.run("doRawRestore", f.backupPath.toString());

      succeeded(op);
      lost.assertMailboxes(f.store);
    }
  }

  @Test
  void theBackupKeepsFollowingTheRebuiltStore() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      f.replaceStore();
      succeeded(f.run("doRawRestore", f.backupPath.toString()));
      succeeded(f.run("doRestoreBlobs", "1", "dryrun", "false"));
      Account ann = lost.accounts().get("ann@example.com");

      Item fresh = f.store.addMessages(ann.id(), Folder.INBOX, List.of(message("ann@example.com", 99)), Set.of(),
          Set.of()).get(0);
      f.realtime.catchUp();

      ItemState recorded = new BackupHistoryReader(f.engine).itemStates(ann.id()).stream()
          .filter(s -> s.id() == fresh.id()).findFirst().orElseThrow(
              () -> new AssertionError("the real-time scanner did not record mail delivered after the restore"));
      assertTrue(recorded.hasBlob());
      Operation scan = f.run("doSmartScan");
      succeeded(scan);
      assertEquals(0, scan.stats().counter("itemsUnreadable"));
    }
  }

  @Test
  void restoresFromAnotherServersBackupPathIntoAFreshBackup() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = LostServer.populate(f);
      Path old = f.backupPath;
      f.useNewBackupPath("backup-new");

      Operation op = f.run("doRawRestore", old.toString());

      succeeded(op);
      lost.assertMailboxes(f.store);
      assertTrue(op.stats().verdict().contains(old.toString()), op.stats().verdict());
      succeeded(f.run("doRestoreBlobs", "1", "dryrun", "false", "backup_path", old.toString()));
      LostServer.scan(f);
      for (Account a : lost.accounts().values()) {
        assertTrue(f.engine.knows(a.id()), "the new backup path backs up " + a.name());
      }
    }
  }

  @Test
  void refusesASourceThatIsNotABackupPath() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      StorefleetException e = assertThrows(StorefleetException.class,
          () -> f.run("doRawRestore", dir.resolve("nothing").toString()));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      e = assertThrows(StorefleetException.class, () -> f.run("doRawRestore", "/etc"));
      assertEquals(ErrorCode.PATH_NOT_ALLOWED, e.code());
      Operation op = f.run("doRawRestore", f.backupPath.toString(), "notifications", "ops@example.com");
      succeeded(op);
    }
  }
}
