package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.Mutation.ACCOUNT_CREATED;
import static io.storefleet.worker.store.Mutation.ACCOUNT_DELETED;
import static io.storefleet.worker.store.Mutation.ALIAS_ADDED;
import static io.storefleet.worker.store.Mutation.COS_CREATED;
import static io.storefleet.worker.store.Mutation.COS_UPDATED;
import static io.storefleet.worker.store.Mutation.DL_CREATED;
import static io.storefleet.worker.store.Mutation.DOMAIN_CREATED;
import static io.storefleet.worker.store.Mutation.FOLDER_CREATED;
import static io.storefleet.worker.store.Mutation.FOLDER_EMPTIED;
import static io.storefleet.worker.store.Mutation.GRANT_ADDED;
import static io.storefleet.worker.store.Mutation.GRANT_REMOVED;
import static io.storefleet.worker.store.Mutation.ITEM_CREATED;
import static io.storefleet.worker.store.Mutation.ITEM_DELETED;
import static io.storefleet.worker.store.Mutation.ITEM_FLAGS_CHANGED;
import static io.storefleet.worker.store.Mutation.ITEM_MOVED;
import static io.storefleet.worker.store.Mutation.ITEM_TAGS_CHANGED;
import static io.storefleet.worker.store.Mutation.MOUNTPOINT_CREATED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();
  private final List<Instant> times = new ArrayList<>();

  /** Builds a store touching every kind of mutation, moving the clock before each. */
  private LocalMailStore populated() throws IOException {
    times.add(clock.instant()); // the default COS, created at open
    LocalMailStore s = LocalMailStore.open(dir, clock);
    tick();
    s.createDomain("example.com");
    tick();
    s.createCos("staff", "first");
    tick();
    s.setCosNotes("staff", "${ZxBackup_Disabled}");
    tick();
    Account john = s.createAccount("john@example.com", "staff", Map.of("displayName", "John Doe"));
    tick();
    Account ann = s.createAccount("ann@example.com", null, Map.of());
    tick();
    s.addAlias(john.id(), "jd@example.com");
    tick();
    s.createDistributionList("all@example.com", List.of("john@example.com", "ann@example.com"));
    tick();
    Folder projects = s.createFolder(john.id(), "/Inbox/Projects", null); // one entry: Inbox exists
    tick(2);
    List<Item> added = s.addMessages(john.id(), projects.id(),
        List.of(MailboxOperationsTest.HELLO, "Subject: =?utf-8?q?caf=C3=A9?=\n\nbody\n".getBytes(UTF_8)),
        Set.of("seen"), Set.of("t1"));
    tick();
    Item doc = s.addItem(john.id(), Folder.BRIEFCASE, ItemType.DOCUMENT, new byte[] {(byte) 0xff, 0, 10}, "blob.bin");
    tick();
    s.moveItem(john.id(), added.get(0).id(), Folder.INBOX);
    tick();
    s.setFlags(john.id(), added.get(0).id(), Set.of("flagged", "answered"));
    tick();
    s.setTags(john.id(), added.get(1).id(), Set.of("x", "y"));
    tick();
    s.deleteItem(john.id(), doc.id());
    tick();
    s.grant(john.id(), projects.id(), ann.id(), ann.name(), "rw");
    tick();
    s.grant(john.id(), Folder.INBOX, "remote-1", "zed@other.org", "r");
    tick();
    s.revoke(john.id(), Folder.INBOX, "remote-1");
    tick(2);
    s.mount(ann.id(), "/Shared/John Projects", new Mountpoint(john.id(), projects.id(), john.name()));
    tick();
    s.addMessages(ann.id(), Folder.TRASH, List.of(MailboxOperationsTest.HELLO), Set.of(), Set.of());
    tick();
    s.emptyFolder(ann.id(), Folder.TRASH);
    return s;
  }

  private void tick() {
    tick(1);
  }

  /** Moves the clock for the next mutation, which writes {@code entries} journal entries. */
  private void tick(int entries) {
    Instant t = clock.advance(Duration.ofSeconds(7));
    for (int i = 0; i < entries; i++) {
      times.add(t);
    }
  }

  @Test
  void everythingSurvivesReopen() throws IOException {
    StoreSnapshot before;
    try (LocalMailStore s = populated()) {
      before = StoreSnapshot.of(s);
    }
    clock.advance(Duration.ofDays(1));
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      StoreSnapshot after = StoreSnapshot.of(s);
      assertEquals(before, after);
      assertEquals("staff", s.account("john@example.com").orElseThrow().cos());
      assertEquals("${ZxBackup_Disabled}", s.cos("staff").orElseThrow().notes());
      assertEquals(1, s.folders(s.account("ann@example.com").orElseThrow().id()).stream()
          .filter(Folder::isMountpoint).count());

      // Ids keep counting after reopen.
      Account john = s.account("jd@example.com").orElseThrow();
      Folder next = s.createFolder(john.id(), "/Later", null);
      assertEquals(261, next.id());
      assertEquals(before.lastSequence() + 1, s.lastSequence());
    }
  }

  @Test
  void journalRecordsEveryMutationInOrderWithClockTimes() throws IOException {
    try (LocalMailStore s = populated()) {
      List<JournalEntry> journal = s.journal(1, 1000);
      List<Mutation> expected = List.of(COS_CREATED, DOMAIN_CREATED, COS_CREATED, COS_UPDATED, ACCOUNT_CREATED,
          ACCOUNT_CREATED, ALIAS_ADDED, DL_CREATED, FOLDER_CREATED, ITEM_CREATED, ITEM_CREATED, ITEM_CREATED,
          ITEM_MOVED, ITEM_FLAGS_CHANGED, ITEM_TAGS_CHANGED, ITEM_DELETED, GRANT_ADDED, GRANT_ADDED, GRANT_REMOVED,
          FOLDER_CREATED, MOUNTPOINT_CREATED, ITEM_CREATED, FOLDER_EMPTIED);
      assertEquals(expected, journal.stream().map(JournalEntry::type).toList());
      for (int i = 0; i < journal.size(); i++) {
        assertEquals(i + 1, journal.get(i).seq());
      }
      assertEquals(times, journal.stream().map(JournalEntry::time).toList());
      assertEquals(journal.size(), s.lastSequence());
      assertEquals(journal.subList(4, 7), s.journal(5, 3));
      assertTrue(s.journal(journal.size() + 1, 10).isEmpty());
      assertEquals(journal.size(), Files.readAllLines(dir.resolve("journal.log")).size());

      JournalEntry created = journal.get(9);
      assertEquals("Hello", created.detail().get("subject").asText());
      assertEquals(created.itemId(), created.detail().get("id").asInt());
      assertEquals(s.account("john@example.com").orElseThrow().id(), created.accountId());
    }
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      s.deleteAccount("ann@example.com");
      assertEquals(ACCOUNT_DELETED, s.journal(s.lastSequence(), 1).get(0).type());
    }
  }

  @Test
  void tornTailIsCutAndTheStoreGoesOn() throws IOException {
    StoreSnapshot before;
    try (LocalMailStore s = populated()) {
      before = StoreSnapshot.of(s);
    }
    Path log = dir.resolve("journal.log");
    Files.write(log, "0badc0de {\"seq\":999,\"ti".getBytes(UTF_8), StandardOpenOption.APPEND);
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      assertEquals(before, StoreSnapshot.of(s));
      s.createDomain("after.org");
      assertEquals(before.lastSequence() + 1, s.lastSequence());
    }
    Files.write(log, new byte[] {(byte) 0xff, 'x', '\n', 'y'}, StandardOpenOption.APPEND);
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      assertEquals(before.lastSequence() + 1, s.lastSequence());
      assertTrue(s.domains().stream().anyMatch(d -> d.name().equals("after.org")));
    }
  }

  @Test
  void oddTextReplaysAsItWasServed() throws IOException {
    StoreSnapshot before;
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      s.createDomain("example.com");
      Account a = s.createAccount("u@example.com", null, Map.of("displayName", "Zoë \u2603 \uD83D\uDE00"));
      Folder f = s.createFolder(a.id(), "/Ünïcode \u2028 line", null);
      Item i = s.addItem(a.id(), f.id(), ItemType.TASK, new byte[] {1}, "lone \uD800 surrogate");
      s.setTags(a.id(), i.id(), Set.of("back\\slash\"quote", "lone \uDC00"));
      before = StoreSnapshot.of(s);
    }
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      assertEquals(before, StoreSnapshot.of(s));
    }
  }

  @Test
  void identicalContentIsStoredOnce() throws IOException {
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      s.createDomain("example.com");
      for (int i = 0; i < 5; i++) {
        Account a = s.createAccount("user" + i + "@example.com", null, Map.of());
        s.addMessages(a.id(), Folder.INBOX, List.of(MailboxOperationsTest.HELLO), Set.of(), Set.of());
      }
      assertEquals(List.of(dir.resolve("blobs").resolve(BlobFiles.digest(MailboxOperationsTest.HELLO).substring(0, 2))
          .resolve(BlobFiles.digest(MailboxOperationsTest.HELLO))), blobFiles());
    }
  }

  @Test
  void aRefusedAddWritesNoContent() throws IOException {
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      s.createDomain("example.com");
      Account a = s.createAccount("john@example.com", null, Map.of());
      long journalSize = Files.size(dir.resolve("journal.log"));
      assertThrows(StorefleetException.class, () -> s.addMessages(a.id(), Folder.INBOX,
          List.of(MailboxOperationsTest.HELLO), Set.of("important"), Set.of()));
      assertThrows(StorefleetException.class, () -> s.addMessages(a.id(), 12345,
          List.of(MailboxOperationsTest.HELLO), Set.of(), Set.of()));
      assertEquals(List.of(), blobFiles());
      assertEquals(journalSize, Files.size(dir.resolve("journal.log")));
      assertEquals(List.of(), s.items(a.id()));
    }
  }

  @Test
  void bulkAddOfFiveThousandMessagesIsOneCommit() throws IOException {
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      s.createDomain("example.com");
      Account a = s.createAccount("bulk@example.com", null, Map.of());
      List<byte[]> raws = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        raws.add(("From: x@example.org\nSubject: message " + i + "\n\nbody " + i + "\n").getBytes(UTF_8));
      }
      long before = s.lastSequence();
      List<Item> added = s.addMessages(a.id(), Folder.INBOX, raws, Set.of(), Set.of());
      assertEquals(5000, added.size());
      assertEquals("message 4999", added.get(4999).subject());
      // One commit: 5000 consecutive journal entries, nothing interleaved.
      assertEquals(before + 5000, s.lastSequence());
      assertEquals(5000, s.journal(before + 1, 10_000).size());
      assertEquals(5000, blobFiles().size());
    }
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      assertEquals(5000, s.items("bulk@example.com").size());
    }
  }

  private List<Path> blobFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
