package io.storefleet.worker.store.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.ScanView;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed on a private Dovecot: changes another IMAP client makes are journalled by the
 * feed alone (no store call asks for the account), exactly once, with ids kept across MOVE and
 * rename, whether the worker runs (Dovecot's change log) or is stopped (the sweep at start).
 */
class ImapChangeFeedTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();
  private static final Duration SWEEP = Duration.ofMinutes(5);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();
  private ImapMailStore store;
  private ImapConnections otherClient;
  private Account ann;

  static ImapStoreConfig config(DovecotServer d) {
    return new ImapStoreConfig("127.0.0.1", d.imapPort(), ImapStoreConfig.Tls.NONE, null, d.masterUser(),
        d.masterPasswordFile(), URI.create("http://127.0.0.1:" + d.httpPort() + "/doveadm/v1"),
        d.doveadmPasswordFile(), 2, d.usersFile(), Duration.ofSeconds(60), d.changeLog(), SWEEP, null,
        ImapStoreConfig.DEFAULT_KEPT_SESSIONS, DovecotServer.VIEW_NAMESPACES);
  }

  @BeforeEach
  void open() throws Exception {
    store = open(dir.resolve("store"));
    ImapStoreConfig c = config(DOVECOT.server());
    otherClient = new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()));
    ann = store.createAccount("ann-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null, Map.of());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    otherClient.close();
  }

  private ImapMailStore open(Path where) throws Exception {
    return ImapMailStore.open(config(DOVECOT.server()), where, clock);
  }

  private static byte[] message(String subject) {
    return ("From: x@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(UTF_8);
  }

  /** The ids the other client sees by subject, for the messages the store added. */
  private Map<String, Long> uidsBySubject(String mailbox) {
    return otherClient.call(ann.name(), s -> {
      Map<String, Long> out = new java.util.HashMap<>();
      for (MessageMeta m : s.messages(mailbox)) {
        String text = new String(s.body(mailbox, m.uid()).orElseThrow(), UTF_8);
        out.put(text.replaceAll("(?s).*Subject: (\\S+).*", "$1"), m.uid());
      }
      return out;
    });
  }

  /** Changes by another client of every kind the journal has an entry for. */
  private void changeEverythingAsAnotherClient() {
    Map<String, Long> uids = uidsBySubject("INBOX");
    otherClient.call(ann.name(), s -> {
      s.append("INBOX", message("new"), ImapFlags.of(Set.of("seen"), Set.of("from outside")), null);
      s.replaceFlags("INBOX", uids.get("a"), ImapFlags.of(Set.of("flagged"), Set.of()));
      s.replaceFlags("INBOX", uids.get("b"), ImapFlags.of(Set.of(), Set.of("later")));
      s.expunge("INBOX", new long[] {uids.get("c")});
      s.move("INBOX", uids.get("d"), "Archive");
      s.rename("Projects", "Done");
      return null;
    });
  }

  /** Journal entries after {@code seq}, by type. */
  private Map<Mutation, List<JournalEntry>> after(long seq) {
    return store.journal(seq + 1, 1000).stream().collect(Collectors.groupingBy(JournalEntry::type));
  }

  private void assertExactlyTheOtherClientsChanges(long before, List<Item> mine, Folder archive, Folder projects) {
    List<JournalEntry> found = store.journal(before + 1, 1000);
    Map<Mutation, List<JournalEntry>> byType = after(before);
    assertEquals(Set.of(Mutation.ITEM_CREATED, Mutation.ITEM_FLAGS_CHANGED, Mutation.ITEM_TAGS_CHANGED,
        Mutation.ITEM_DELETED, Mutation.ITEM_MOVED, Mutation.ACCOUNT_UPDATED), byType.keySet(), found.toString());
    assertEquals(6, found.size(), found.toString());
    assertEquals("new", byType.get(Mutation.ITEM_CREATED).get(0).detail().path("subject").asText());
    assertEquals(mine.get(0).id(), byType.get(Mutation.ITEM_FLAGS_CHANGED).get(0).itemId());
    assertEquals(mine.get(1).id(), byType.get(Mutation.ITEM_TAGS_CHANGED).get(0).itemId());
    assertEquals(mine.get(2).id(), byType.get(Mutation.ITEM_DELETED).get(0).itemId());
    JournalEntry moved = byType.get(Mutation.ITEM_MOVED).get(0);
    assertEquals(mine.get(3).id(), moved.itemId(), "the MOVE keeps the item id");
    assertEquals(archive.id(), moved.detail().path("folderId").asInt());
    assertEquals(projects.id(), byType.get(Mutation.ACCOUNT_UPDATED).get(0).itemId(), "the rename keeps the folder id");
    // Nothing more is found by later runs, nor by a store call.
    clock.advance(SWEEP);
    store.changeFeed().runDue();
    assertEquals(found, store.journal(before + 1, 1000));
    assertEquals(found.get(found.size() - 1).seq(), store.lastChange(ann.id()));
    assertEquals(projects.id(), store.folder(ann.id(), "/Done").orElseThrow().id());
    assertEquals(mine.get(4).id(), store.items(ann.id(), projects.id()).get(0).id());
  }

  private record Setup(List<Item> mine, Folder archive, Folder projects) {}

  private Setup setUp() {
    Folder archive = store.createFolder(ann.id(), "/Archive", "message");
    Folder projects = store.createFolder(ann.id(), "/Projects", "message");
    List<Item> mine = new java.util.ArrayList<>(store.addMessages(ann.id(), Folder.INBOX,
        List.of(message("a"), message("b"), message("c"), message("d")), Set.of(), Set.of()));
    mine.addAll(store.addMessages(ann.id(), projects.id(), List.of(message("p")), Set.of(), Set.of()));
    return new Setup(mine, archive, projects);
  }

  @Test
  void changesByAnotherClientWhileTheWorkerRunsAreJournalledByTheChangeLog() {
    Setup s = setUp();
    assertTrue(store.changeFeed().runDue().swept(), "the first run sweeps");
    long before = store.lastSequence();
    changeEverythingAsAnotherClient();
    // Dovecot's log process writes the lines a moment after the commands: run until the pass has them all.
    await("the change log's lines for " + ann.name()).atMost(PATIENCE).until(() -> {
      ChangeFeed.Run run = store.changeFeed().runDue();
      assertFalse(run.swept(), "no sweep is due: the change log alone finds the changes");
      return store.journal(before + 1, 1000).size() >= 6;
    });
    assertExactlyTheOtherClientsChanges(before, s.mine(), s.archive(), s.projects());
  }

  @Test
  void changesByAnotherClientWhileTheWorkerIsStoppedAreFoundByTheSweepAtStart() throws Exception {
    Setup s = setUp();
    long before = store.lastSequence();
    store.close();
    changeEverythingAsAnotherClient();
    store = open(dir.resolve("store"));
    ChangeFeed.Run run = store.changeFeed().runDue();
    assertTrue(run.swept());
    assertTrue(run.passed().contains(ann.name()), run.toString());
    assertExactlyTheOtherClientsChanges(before, s.mine(), s.archive(), s.projects());
  }

  @Test
  void grantsChangedByAnotherClientAreJournalledByTheNextSnapshotAlsoAfterARestart() throws Exception {
    Folder archive = store.createFolder(ann.id(), "/Archive", "message");
    Account bob = store.createAccount("bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
        Map.of());
    assertTrue(store.snapshot(ann.id()).grants().isEmpty());
    long before = store.lastSequence();
    otherClient.call(ann.name(), s -> {
      s.setAcl("Archive", bob.name(), "lr");
      return null;
    });
    assertEquals(1, store.snapshot(ann.id()).grants().size());
    List<JournalEntry> added = store.journal(before + 1, 100);
    assertEquals(List.of(Mutation.GRANT_ADDED), added.stream().map(JournalEntry::type).toList());
    assertEquals(bob.id(), added.get(0).detail().path("granteeId").asText());
    assertEquals(archive.id(), added.get(0).detail().path("folderId").asInt());
    assertEquals("r", added.get(0).detail().path("rights").asText());
    assertEquals(added, store.journal(before + 1, 100), "reading the grants again journals nothing");

    store.close();
    otherClient.call(ann.name(), s -> {
      s.setAcl("Archive", bob.name(), "lrw");
      return null;
    });
    store = open(dir.resolve("store"));
    long restarted = store.lastSequence();
    assertEquals("rw", store.grants(ann.id()).get(0).rights());
    List<JournalEntry> changed = store.journal(restarted + 1, 100);
    assertEquals(List.of(Mutation.GRANT_ADDED), changed.stream().map(JournalEntry::type).toList());
    assertEquals("rw", changed.get(0).detail().path("rights").asText());

    otherClient.call(ann.name(), s -> {
      s.setAcl("Archive", bob.name(), "");
      return null;
    });
    assertTrue(store.grants(ann.id()).isEmpty());
    List<JournalEntry> removed = store.journal(changed.get(0).seq() + 1, 100);
    assertEquals(List.of(Mutation.GRANT_REMOVED), removed.stream().map(JournalEntry::type).toList());
    assertEquals(bob.id(), removed.get(0).detail().path("granteeId").asText());
  }

  @Test
  void aSweepFindsNothingWhenNothingChanged() {
    setUp();
    store.changeFeed().runDue();
    long before = store.lastSequence();
    clock.advance(SWEEP);
    ChangeFeed.Run run = store.changeFeed().runDue();
    assertTrue(run.swept());
    assertFalse(run.passed().contains(ann.name()), "an unchanged account is not passed: " + run);
    assertEquals(before, store.lastSequence());
  }

  @Test
  void aScanHeldOnItsPacerInOneAccountDoesNotHoldUpTheFeedForAnother() throws Exception {
    Account cid = store.createAccount("cid-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
        Map.of());
    store.addMessages(ann.id(), Folder.INBOX, List.of(message("a")), Set.of(), Set.of());
    store.addMessages(cid.id(), Folder.INBOX, List.of(message("c")), Set.of(), Set.of());
    store.changeFeed().runDue();
    otherClient.call(ann.name(), s -> s.append("INBOX", message("for-the-scan"), ImapFlags.of(Set.of(), Set.of()), null));

    // A paced scan's pass of ann waits for its pacer while it holds the account.
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch permit = new java.util.concurrent.CountDownLatch(1);
    ScanView.ContentSink paced = new ScanView.ContentSink() {
      @Override
      public void content(String digest, byte[] content) {}

      @Override
      public int beforeRead(int messages) {
        held.countDown();
        try {
          permit.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return messages;
      }
    };
    java.util.concurrent.CompletableFuture<Long> scan =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> store.scanView().lastChange(ann.id(), paced));
    try {
      assertTrue(held.await(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "the pass waits for its pacer");
      long before = store.lastSequence();
      otherClient.call(cid.name(), s -> s.append("INBOX", message("meanwhile"), ImapFlags.of(Set.of(), Set.of()), null));
      clock.advance(SWEEP);
      ChangeFeed.Run run = assertTimeoutPreemptively(PATIENCE, () -> store.changeFeed().runDue(),
          "the feed does not wait for the account the scan holds");
      assertTrue(run.swept());
      assertTrue(run.passed().contains(cid.name()), run.toString());
      assertTrue(run.stillDirty().contains(ann.name()), "left for the next run: " + run);
      List<JournalEntry> journalled = store.journal(before + 1, 100);
      assertEquals(List.of(Mutation.ITEM_CREATED), journalled.stream().map(JournalEntry::type).toList());
      assertEquals(cid.id(), journalled.get(0).accountId());
    } finally {
      permit.countDown();
    }
    scan.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    ChangeFeed.Run next = store.changeFeed().runDue();
    assertTrue(next.stillDirty().isEmpty(), next.toString());
    assertEquals(List.of("for-the-scan"), after(0).get(Mutation.ITEM_CREATED).stream()
        .filter(e -> e.accountId().equals(ann.id())).map(e -> e.detail().path("subject").asText())
        .filter(subject -> subject.equals("for-the-scan")).toList(), "journalled once, by the scan's pass");
  }
}
