package io.storefleet.worker.store.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile pass's own guarantees: nothing moves in the id map before the journal holds it; ids across UIDVALIDITY. */
class ReconcilerTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;
  /** Another IMAP client of a test, closed after it. */
  private ImapTestClient other;

  @AfterEach
  void closeOther() {
    if (other != null) {
      other.close();
    }
  }

  private static byte[] message(String subject) {
    return ("From: x@example.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(UTF_8);
  }

  private static ImapConnections connections() {
    ImapStoreConfig c = ImapSessionTest.config(DOVECOT.server(), 2);
    return new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()));
  }

  /**
   * A new user, provisioned by the store, which waits until Dovecot knows it (a line added to the
   * users file is seen at most once a second).
   */
  private String provisioned(String prefix) throws java.io.IOException {
    try (ImapMailStore store = ImapMailStore.open(ImapSessionTest.config(DOVECOT.server(), 2), dir.resolve("prov"),
        MutableClock.atEpoch2026())) {
      return store.createAccount(prefix + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
          Map.of()).name();
    }
  }

  /** One pass of {@code user}'s mailboxes into {@code map}, journalled in {@code journal}. */
  private static List<JournalEntry> pass(ImapConnections imap, String user, AccountMap map, ImapJournal journal) {
    return imap.call(user, s -> Reconciler.pass(s, "acc", map, FolderMapping.read(s, map)).commit(journal, map));
  }

  @Test
  void aFailedJournalWriteLeavesTheMapWhereTheNextPassFindsTheSameChanges() throws Exception {
    String user = "r-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    DOVECOT.server().addUser(user, "pw");
    ImapConnections imap = connections();
    AccountMap map = AccountMap.load(dir.resolve("map.json"));
    try (ImapJournal journal = ImapJournal.open(dir.resolve("journal.log"), MutableClock.atEpoch2026())) {
      imap.call(user, s -> s.append("INBOX", message("old"), ImapFlags.of(Set.of(), Set.of()), null));
      assertEquals(List.of(Mutation.ITEM_CREATED), pass(imap, user, map, journal).stream().map(JournalEntry::type)
          .toList());
    }
    Map<String, AccountMap.MailboxMark> marks = Map.copyOf(map.mailboxes());
    List<MappedItem> items = map.items();
    imap.call(user, s -> s.append("INBOX", message("new"), ImapFlags.of(Set.of(), Set.of()), null));

    ImapJournal failing = ImapJournal.open(dir.resolve("journal.log"), MutableClock.atEpoch2026());
    failing.close();
    StorefleetException e = assertThrows(StorefleetException.class, () -> pass(imap, user, map, failing));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertEquals(marks, map.mailboxes(), "no marker moved past a change the journal does not hold");
    assertEquals(items, map.items());

    try (ImapJournal journal = ImapJournal.open(dir.resolve("journal.log"), MutableClock.atEpoch2026())) {
      List<JournalEntry> found = pass(imap, user, map, journal);
      assertEquals(List.of(Mutation.ITEM_CREATED), found.stream().map(JournalEntry::type).toList());
      assertEquals("new", found.get(0).detail().path("subject").asText());
      assertNotEquals(marks, map.mailboxes());
      assertEquals(2, found.get(0).seq(), "sequences continue, never repeat");
    }
  }

  /**
   * A pass on a sweep's statuses (older than the pass) never lowers a mailbox's mark below what a
   * pass made since the sweep (the change feed's) recorded: that would only make the next sweep
   * see a change that is not there.
   */
  @Test
  void aPassOnOlderSweptStatusesNeverLowersAMark() throws Exception {
    String user = provisioned("m-");
    ImapConnections imap = connections();
    AccountMap map = AccountMap.load(dir.resolve("marks.json"));
    try (ImapJournal journal = ImapJournal.open(dir.resolve("marks.log"), MutableClock.atEpoch2026())) {
      imap.call(user, s -> s.append("INBOX", message("a"), ImapFlags.of(Set.of(), Set.of()), null));
      pass(imap, user, map, journal);
      imap.call(user, s -> s.append("INBOX", message("b"), ImapFlags.of(Set.of(), Set.of()), null));
      List<MappedFolder> swept = imap.call(user, s -> FolderMapping.read(s, map));
      imap.call(user, s -> s.append("INBOX", message("c"), ImapFlags.of(Set.of(), Set.of()), null));
      pass(imap, user, map, journal);
      Map<String, AccountMap.MailboxMark> after = Map.copyOf(map.mailboxes());
      assertEquals(List.of(), imap.call(user, s -> Reconciler.passOnSwept(s, "acc", map, swept, null).orElseThrow()
          .commit(journal, map)), "nothing new since the last pass");
      assertEquals(after, map.mailboxes());
    }
  }

  /**
   * A pass of several FETCH batches digests and stores each batch while it reads the next (on
   * another thread): the content still reaches the sink in UID order, ids and sequences follow it
   * with no gap or repeat, and a failure while a batch is worked on fails the pass with nothing
   * journalled and nothing moved in the map, so the next pass finds every message again.
   */
  @Test
  void batchesWorkedOnWhileTheNextIsReadKeepTheOrderAndAFailureMovesNothing() throws Exception {
    String user = provisioned("b-");
    int n = 600; // three FETCH batches of at most 256
    List<byte[]> raws = new java.util.ArrayList<>();
    for (int k = 0; k < n; k++) {
      raws.add(message("m" + k));
    }
    new ImapTestClient(ImapSessionTest.config(DOVECOT.server(), 2)).appendAll(user, "INBOX", raws, Set.of());
    ImapConnections imap = connections();
    AccountMap map = AccountMap.load(dir.resolve("batches.json"));
    try (ImapJournal journal = ImapJournal.open(dir.resolve("batches.log"), MutableClock.atEpoch2026())) {
      List<String> failedAfter = new java.util.ArrayList<>();
      RuntimeException boom = new IllegalStateException("disk gone");
      RuntimeException thrown = assertThrows(RuntimeException.class, () -> imap.call(user, s -> Reconciler.pass(s,
          "acc", map, FolderMapping.read(s, map), (digest, content) -> {
            failedAfter.add(digest);
            if (failedAfter.size() == 300) {
              throw boom;
            }
          }).commit(journal, map)));
      assertEquals(boom, thrown, "the batch's failure is the pass's, as thrown");
      assertEquals(300, failedAfter.size(), "nothing is worked on after the failed batch");
      assertEquals(0, journal.lastSequence(), "nothing journalled");
      assertEquals(List.of(), map.items());
      assertEquals(Map.of(), map.mailboxes());

      List<String> digests = new java.util.ArrayList<>();
      List<JournalEntry> found = imap.call(user, s -> Reconciler.pass(s, "acc", map, FolderMapping.read(s, map),
          (digest, content) -> digests.add(digest)).commit(journal, map));
      List<String> expected = raws.stream().map(io.storefleet.worker.backup.format.BlobCodec::sha256).toList();
      assertEquals(expected, digests, "every message reaches the sink once, in UID order");
      assertEquals(n, found.size());
      for (int k = 0; k < n; k++) {
        assertEquals(Mutation.ITEM_CREATED, found.get(k).type());
        assertEquals(k + 1, found.get(k).seq(), "sequences follow the messages, no gap or repeat");
        assertEquals("m" + k, found.get(k).detail().path("subject").asText());
        assertEquals(found.get(0).itemId() + k, found.get(k).itemId(), "ids follow the UIDs");
      }
      assertEquals(n, map.items().size());
    }
  }

  @Test
  void aUidValidityChangeKeepsEveryIdAndJournalsNothing() throws Exception {
    try (ImapMailStore store = ImapMailStore.open(ImapSessionTest.config(DOVECOT.server(), 2), dir.resolve("store"),
        MutableClock.atEpoch2026())) {
      Account a = store.createAccount("v-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
          Map.of());
      List<Item> added = store.addMessages(a.id(), Folder.INBOX, List.of(message("x"), message("y")), Set.of("seen"),
          Set.of("kept"));
      long before = store.lastSequence();
      long oldValidity = uidValidity(a.name());
      doveadm("mailbox", "update", "-u", a.name(), "--uid-validity", Long.toString(oldValidity + 1000), "INBOX");
      assertEquals(oldValidity + 1000, uidValidity(a.name()));
      assertEquals(added, store.items(a.id(), Folder.INBOX));
      assertEquals(before, store.lastSequence(), "the items are unchanged for storefleet");
      assertEquals(new String(message("y"), UTF_8), new String(store.content(a.id(), added.get(1).id()), UTF_8));
    }
  }

  /**
   * The id map's records after a journal commit are not forced: a power loss may take them, a
   * killed process may tear the last one. The next open heals the map from the journal: messages
   * another client added, moved and flagged, and one storefleet appended, keep their ids, and
   * nothing is journalled again.
   */
  @Test
  void aMapThatLostItsRecordsAfterTheJournalIsHealedAndKeepsEveryId() throws Exception {
    Path state = dir.resolve("heal");
    ImapStoreConfig config = ImapSessionTest.config(DOVECOT.server(), 2);
    other = new ImapTestClient(config);
    Account a;
    List<Item> inbox;
    List<Item> archive;
    long seq;
    Path log;
    try (ImapMailStore store = ImapMailStore.open(config, state, MutableClock.atEpoch2026())) {
      a = store.createAccount("h-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null, Map.of());
      other.create(a.name(), "Archive");
      ImapTestClient.Served first = other.append(a.name(), "INBOX", message("first"), Set.of(), Set.of());
      store.items(a.id());
      log = state.resolve("maps").resolve(a.id() + ".json.log");
      long kept = java.nio.file.Files.size(log);

      ImapTestClient.Served second = other.append(a.name(), "INBOX", message("second"), Set.of(), Set.of());
      other.append(a.name(), "INBOX", message("third"), Set.of(), Set.of());
      other.setFlags(a.name(), second, Set.of("\\Seen"), Set.of("kept"));
      other.move(a.name(), first, "Archive");
      store.items(a.id());
      store.addMessages(a.id(), Folder.INBOX, List.of(message("fourth")), Set.of(), Set.of());
      inbox = store.items(a.id(), Folder.INBOX);
      archive = store.items(a.id()).stream().filter(i -> i.folderId() != Folder.INBOX).toList();
      assertEquals(3, inbox.size());
      assertEquals(1, archive.size());
      seq = store.lastSequence();
      byte[] whole = java.nio.file.Files.readAllBytes(log);
      assertTrue(whole.length > kept, "the pass and the append added records");
      // Lost with a power loss, but for a torn start of the next one (a process killed mid-write).
      java.nio.file.Files.write(log, java.util.Arrays.copyOfRange(whole, 0, (int) kept + 25));
    }
    try (ImapMailStore store = ImapMailStore.open(config, state, MutableClock.atEpoch2026())) {
      assertEquals(inbox, store.items(a.id(), Folder.INBOX), "every id kept, as it was");
      assertEquals(archive, store.items(a.id()).stream().filter(i -> i.folderId() != Folder.INBOX).toList());
      assertEquals(seq, store.lastSequence(), "nothing journalled again");
    }
  }

  /**
   * A map that outlived its journal (the journal lost; the worker's recovery continues the new one
   * above the backup's positions) keeps every id: the new journal is not replayed over it, every
   * mailbox is compared in full once, and the map takes its place in the new journal, so that a
   * record it then loses is healed from the new journal's entries with the message's id.
   */
  @Test
  void aMapThatOutlivedItsJournalKeepsItsIdsAndIsHealedFromTheNewOne() throws Exception {
    ImapStoreConfig config = ImapSessionTest.config(DOVECOT.server(), 2);
    other = new ImapTestClient(config);
    Path state = dir.resolve("outlived");
    Account a;
    List<Item> three;
    long past;
    try (ImapMailStore store = ImapMailStore.open(config, state, MutableClock.atEpoch2026())) {
      a = store.createAccount("o-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null, Map.of());
      store.addMessages(a.id(), Folder.INBOX, List.of(message("one"), message("two"), message("three")), Set.of(),
          Set.of());
      three = store.items(a.id());
      past = store.lastSequence();
    }
    java.nio.file.Files.delete(state.resolve("journal.log"));
    Path log = state.resolve("maps").resolve(a.id() + ".json.log");
    List<Item> items;
    try (ImapMailStore store = ImapMailStore.open(config, state, MutableClock.atEpoch2026())) {
      store.recoverFrom(new BackupIds(null, past)); // as WorkerNode: the backup recorded positions up to past
      assertEquals(three, store.items(a.id()), "every id kept, nothing replayed over the map");
      assertEquals(past, store.lastSequence(), "nothing journalled again");
      other.append(a.name(), "INBOX", message("four"), Set.of(), Set.of());
      assertEquals(4, store.items(a.id()).size());
      long kept = java.nio.file.Files.size(log);
      other.append(a.name(), "INBOX", message("five"), Set.of(), Set.of());
      items = store.items(a.id());
      assertEquals(5, items.size());
      assertTrue(items.stream().filter(i -> !three.contains(i)).allMatch(i -> i.modSeq() > past),
          "the new entries continue above the backup's positions");
      java.nio.file.Files.write(log, java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(log), (int) kept));
    }
    try (ImapMailStore store = ImapMailStore.open(config, state, MutableClock.atEpoch2026())) {
      assertEquals(items, store.items(a.id()), "the message whose record was lost keeps its id");
    }
  }

  private static long uidValidity(String user) {
    return connections().call(user, s -> s.mailboxes().stream().filter(m -> m.name().equals("INBOX")).findFirst()
        .orElseThrow().uidValidity());
  }

  private static void doveadm(String... args) throws Exception {
    DovecotServer d = DOVECOT.server();
    List<String> cmd = new java.util.ArrayList<>(List.of("doveadm", "-c", d.configFile().toString()));
    cmd.addAll(List.of(args));
    Path out = dir().resolve("doveadm.out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + java.nio.file.Files.readString(out));
    }
  }

  private static Path dir() {
    return DOVECOT.server().directory();
  }
}
