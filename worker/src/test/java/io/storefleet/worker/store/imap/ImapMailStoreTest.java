package io.storefleet.worker.store.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.NewMessage;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only the imap store does: follow other clients, keep ids on the server, refuse what IMAP cannot hold. */
class ImapMailStoreTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;
  private ImapMailStore store;
  private ImapConnections otherClient;
  private Account ann;

  @BeforeEach
  void open() throws Exception {
    store = open(dir.resolve("store"));
    ImapStoreConfig c = ImapSessionTest.config(DOVECOT.server(), 2);
    otherClient = new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()));
    ann = store.createAccount("ann-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null, Map.of());
  }

  @AfterEach
  void close() throws Exception {
    otherClient.close();
    store.close();
  }

  private static ImapMailStore open(Path where) throws Exception {
    return ImapMailStore.open(ImapSessionTest.config(DOVECOT.server(), 2), where, MutableClock.atEpoch2026());
  }

  private static byte[] message(String subject) {
    return ("From: x@example.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(UTF_8);
  }

  @Test
  void changesByAnotherClientAreJournalledExactlyWithIdsKeptAcrossMove() {
    Folder archive = store.createFolder(ann.id(), "/Archive", "message");
    List<Item> mine = store.addMessages(ann.id(), Folder.INBOX, List.of(message("a"), message("b"), message("c")),
        Set.of(), Set.of());
    long before = store.lastSequence();
    Map<String, Long> uids = otherClient.call(ann.name(), s -> s.messages("INBOX").stream()
        .collect(Collectors.toMap(m -> subjectOf(s, m.uid()), MessageMeta::uid)));
    otherClient.call(ann.name(), s -> {
      s.append("INBOX", message("new"), ImapFlags.of(Set.of("seen"), Set.of("from outside")), null);
      s.replaceFlags("INBOX", uids.get("a"), ImapFlags.of(Set.of("flagged"), Set.of()));
      s.expunge("INBOX", new long[] {uids.get("b")});
      s.move("INBOX", uids.get("c"), "Archive");
      return null;
    });
    long change = store.lastChange(ann.id());
    List<JournalEntry> found = store.journal(before + 1, 100);
    assertEquals(change, store.lastSequence());
    Map<Mutation, List<JournalEntry>> byType = found.stream().collect(Collectors.groupingBy(JournalEntry::type));
    assertEquals(Set.of(Mutation.ITEM_CREATED, Mutation.ITEM_FLAGS_CHANGED, Mutation.ITEM_DELETED, Mutation.ITEM_MOVED),
        byType.keySet(), found.toString());
    assertEquals(4, found.size(), found.toString());
    assertEquals(mine.get(0).id(), byType.get(Mutation.ITEM_FLAGS_CHANGED).get(0).itemId());
    assertEquals(mine.get(1).id(), byType.get(Mutation.ITEM_DELETED).get(0).itemId());
    assertEquals(mine.get(2).id(), byType.get(Mutation.ITEM_MOVED).get(0).itemId());
    JournalEntry created = byType.get(Mutation.ITEM_CREATED).get(0);
    assertEquals("new", created.detail().path("subject").asText());
    Item moved = store.item(ann.id(), mine.get(2).id()).orElseThrow();
    assertEquals(archive.id(), moved.folderId());
    assertEquals(mine.get(2).digest(), moved.digest());
    Item outside = store.item(ann.id(), created.itemId()).orElseThrow();
    assertEquals(Set.of("seen"), outside.flags());
    assertEquals(Set.of("from outside"), outside.tags());
    // A second look finds nothing new.
    assertEquals(change, store.lastChange(ann.id()));
  }

  @Test
  void aRenameByAnotherClientKeepsTheFolderAndItsItems() {
    Folder projects = store.createFolder(ann.id(), "/Projects", "message");
    Item i = store.addMessages(ann.id(), projects.id(), List.of(message("p")), Set.of(), Set.of()).get(0);
    long before = store.lastSequence();
    otherClient.call(ann.name(), s -> {
      s.rename("Projects", "Done");
      return null;
    });
    Folder done = store.folder(ann.id(), "/Done").orElseThrow();
    assertEquals(projects.id(), done.id());
    assertEquals(done.id(), store.item(ann.id(), i.id()).orElseThrow().folderId());
    List<JournalEntry> found = store.journal(before + 1, 100);
    assertEquals(List.of(Mutation.ACCOUNT_UPDATED), found.stream().map(JournalEntry::type).toList());
  }

  @Test
  void aRestartKeepsItemIdsAndTheJournalContinues() throws Exception {
    List<Item> added = store.addMessages(ann.id(), Folder.INBOX, List.of(message("a"), message("b")), Set.of(),
        Set.of());
    long last = store.lastSequence();
    store.close();
    store = open(dir.resolve("store"));
    assertEquals(last, store.lastSequence());
    assertEquals(added, store.items(ann.id(), Folder.INBOX));
    assertEquals(last, store.lastSequence(), "a pass after a restart finds nothing new");
    Item flagged = store.setFlags(ann.id(), added.get(0).id(), Set.of("seen"));
    assertTrue(flagged.modSeq() > last);
    assertEquals(message("b").length, store.content(ann.id(), added.get(1).id()).length);
  }

  @Test
  void mailFoundByAFailedPassIsStillJournalledByALaterOne() throws Exception {
    store.addMessages(ann.id(), Folder.INBOX, List.of(message("old")), Set.of(), Set.of());
    otherClient.call(ann.name(), s -> {
      s.append("INBOX", message("new"), ImapFlags.of(Set.of(), Set.of()), null);
      return null;
    });
    store.journal().close();
    StorefleetException failed = assertThrows(StorefleetException.class, () -> store.items(ann.id(), Folder.INBOX));
    assertEquals(ErrorCode.IO_ERROR, failed.code());
    // Had the failed pass left its markers in the cached map, this pass would find nothing and save them.
    assertThrows(StorefleetException.class, () -> store.items(ann.id(), Folder.INBOX));
    store.close();
    store = open(dir.resolve("store"));
    long before = store.lastSequence();
    assertEquals(2, store.items(ann.id(), Folder.INBOX).size());
    assertEquals(List.of(Mutation.ITEM_CREATED),
        store.journal(before + 1, 100).stream().map(JournalEntry::type).toList());
  }

  @Test
  void afterLosingTheIdMapNewIdsAreAboveEveryIdTheJournalGave() throws Exception {
    store.addMessages(ann.id(), Folder.INBOX, List.of(message("a"), message("b")), Set.of(), Set.of());
    int highest = store.journal(0, 10_000).stream().filter(e -> ann.id().equals(e.accountId()))
        .mapToInt(JournalEntry::itemId).max().orElseThrow();
    store.close();
    java.nio.file.Files.delete(dir.resolve("store").resolve("maps").resolve(ann.id() + ".json"));
    store = open(dir.resolve("store"));
    Item added = store.addMessages(ann.id(), Folder.INBOX, List.of(message("c")), Set.of(), Set.of()).get(0);
    List<Item> all = store.items(ann.id(), Folder.INBOX);
    assertEquals(3, all.size());
    assertTrue(all.contains(added));
    for (Item i : all) {
      assertTrue(i.id() > highest, "item " + i.id() + " reuses an id up to " + highest);
    }
  }

  @Test
  void contentOfAMessageMovedByAnotherClientIsFoundAfterAPass() {
    store.createFolder(ann.id(), "/Elsewhere", "message");
    Item i = store.addMessages(ann.id(), Folder.INBOX, List.of(message("m")), Set.of(), Set.of()).get(0);
    otherClient.call(ann.name(), s -> s.move("INBOX", s.messages("INBOX").get(0).uid(), "Elsewhere"));
    assertEquals(new String(message("m"), UTF_8), new String(store.content(ann.id(), i.id()), UTF_8));
  }

  @Test
  void aMailboxDeletedByAnotherClientDeletesItsItems() {
    Folder old = store.createFolder(ann.id(), "/Old", "message");
    List<Item> items = store.addMessages(ann.id(), old.id(), List.of(message("x"), message("y")), Set.of(), Set.of());
    long before = store.lastSequence();
    otherClient.call(ann.name(), s -> {
      s.delete("Old");
      return null;
    });
    assertTrue(store.folder(ann.id(), "/Old").isEmpty());
    List<JournalEntry> found = store.journal(before + 1, 100);
    assertEquals(Set.of(items.get(0).id(), items.get(1).id()), found.stream()
        .filter(e -> e.type() == Mutation.ITEM_DELETED).map(JournalEntry::itemId).collect(Collectors.toSet()));
    assertEquals(1, found.stream().filter(e -> e.type() == Mutation.ACCOUNT_UPDATED).count(), found.toString());
    assertEquals(3, found.size(), found.toString());
    assertTrue(store.items(ann.id()).isEmpty());
  }

  @Test
  void accountAndFolderIdsSurviveLosingTheWorkersDisk() throws Exception {
    Folder projects = store.createFolder(ann.id(), "/Inbox/Projects", "message");
    store.addMessages(ann.id(), projects.id(), List.of(message("p")), Set.of(), Set.of());
    try (ImapMailStore fresh = open(dir.resolve("fresh"))) {
      // Found by id first: the fresh worker has to read the ids from the server to know it.
      assertEquals(ann.name(), fresh.account(ann.id()).orElseThrow().name());
      Account again = fresh.account(ann.name()).orElseThrow();
      assertEquals(ann.id(), again.id());
      assertEquals(ann.createdAt(), again.createdAt());
      assertEquals(projects.id(), fresh.folder(ann.id(), "/Inbox/Projects").orElseThrow().id());
      // Item ids are not on the server: a lost map gives the messages new ids, above every folder id.
      Item p = fresh.items(ann.id(), projects.id()).get(0);
      assertTrue(p.id() > projects.id());
      Folder next = fresh.createFolder(ann.id(), "/Later", "message");
      assertTrue(next.id() > p.id());
    }
  }

  @Test
  void otherUsersSharedFoldersAreNotTheAccountsOwnAndGrantsComeFromAcls() {
    Account bob = store.createAccount("bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
        Map.of());
    Folder shared = store.createFolder(bob.id(), "/Shared", "message");
    store.addMessages(bob.id(), shared.id(), List.of(message("s")), Set.of(), Set.of());
    otherClient.call(bob.name(), s -> {
      s.setAcl("Shared", ann.name(), "lrs");
      return null;
    });
    List<String> annPaths = store.folders(ann.id()).stream().map(Folder::path).toList();
    assertTrue(annPaths.stream().noneMatch(p -> p.toLowerCase().contains("shared")), annPaths.toString());
    assertTrue(store.items(ann.id()).isEmpty());
    List<Grant> grants = store.grants(bob.id());
    assertEquals(List.of(new Grant(bob.id(), shared.id(), ann.id(), ann.name(), "r")), grants);
  }

  /**
   * The fixture's virtual namespace (a personal one: NAMESPACE lists it beside the account's) shows
   * INBOX again as Virtual/All; its public namespace has Public/News, which ann may read.
   */
  @Test
  void virtualAndPublicNamespacesAreNeitherListedNorScannedAsTheAccountsOwn() {
    Item mine = store.addMessages(ann.id(), Folder.INBOX, List.of(message("mine")), Set.of(), Set.of()).get(0);
    assertEquals(Map.of("Virtual/All", 1, "Public/News", 1), otherClient.call(ann.name(), s -> Map.of(
        "Virtual/All", s.messages("Virtual/All").size(), "Public/News", s.messages("Public/News").size())));
    assertEquals(List.of("/", "/Drafts", "/Inbox", "/Junk", "/Sent", "/Trash"),
        store.folders(ann.id()).stream().map(Folder::path).sorted().toList());
    assertEquals(List.of(mine), store.items(ann.id()));
    long before = store.lastSequence();
    otherClient.call(ann.name(), s -> {
      s.append("INBOX", message("outside"), ImapFlags.of(Set.of(), Set.of()), null);
      return null;
    });
    long change = store.lastChange(ann.id());
    List<JournalEntry> found = store.journal(before + 1, 100);
    assertEquals(List.of(Mutation.ITEM_CREATED), found.stream().map(JournalEntry::type).toList());
    assertEquals(change, found.get(0).seq());
    assertEquals(Set.of(mine.id(), found.get(0).itemId()),
        store.items(ann.id()).stream().map(Item::id).collect(Collectors.toSet()));
  }

  /**
   * Without store.viewNamespaces nothing is guessed: the virtual namespace is a second private
   * namespace like one holding real mail in another location, so it is backed up as the account's
   * own (its view of INBOX read again); the public namespace stays someone else's.
   */
  @Test
  void aPersonalNamespaceNotNamedAsAViewIsListedAndBackedUpAsTheAccountsOwn() throws Exception {
    store.addMessages(ann.id(), Folder.INBOX, List.of(message("mine")), Set.of(), Set.of());
    store.close();
    ImapStoreConfig c = ImapSessionTest.config(DOVECOT.server(), 2);
    ImapStoreConfig unnamed = new ImapStoreConfig(c.host(), c.port(), c.tls(), null, c.masterUser(),
        c.masterPasswordFile(), c.doveadmUrl(), c.doveadmPasswordFile(), 2, c.usersFile(), c.accountCacheTtl());
    assertEquals(List.of(), unnamed.viewNamespaces());
    store = ImapMailStore.open(unnamed, dir.resolve("store"), MutableClock.atEpoch2026());
    List<Folder> folders = store.folders(ann.id());
    Folder all = folders.stream().filter(f -> f.path().equals("/Virtual/All")).findFirst().orElseThrow(
        () -> new AssertionError("no /Virtual/All in " + folders));
    assertTrue(folders.stream().noneMatch(f -> f.path().startsWith("/Public")), folders.toString());
    assertEquals(1, store.items(ann.id(), all.id()).size());
    assertEquals(2, store.items(ann.id()).size(), "INBOX's message and the view's");
  }

  @Test
  void aMessageTheServerRefusesFailsItsBatchWithBadValueAndAppendsNothing() {
    Item before = store.addMessages(ann.id(), Folder.INBOX, List.of(message("kept")), Set.of(), Set.of()).get(0);
    long seq = store.lastSequence();
    // Dovecot takes no zero-byte message; MULTIAPPEND takes a batch all or none.
    StorefleetException e = assertThrows(StorefleetException.class, () -> store.addMessages(ann.id(), Folder.INBOX,
        List.of(new NewMessage(message("fine"), Set.of("seen"), Set.of(), null), new NewMessage(new byte[0],
            Set.of(), Set.of(), null))));
    assertEquals(ErrorCode.BAD_VALUE, e.code());
    assertTrue(e.getMessage().contains("refused one of 2 messages") && e.getMessage().contains(ann.name()),
        e.getMessage());
    assertEquals(List.of(before), store.items(ann.id(), Folder.INBOX), "nothing of the refused batch is there");
    assertEquals(seq, store.lastSequence(), "and nothing was journalled");
  }

  /** A full mailbox says nothing against the mail: the restore must fail as retriable, not report it rejected. */
  @Test
  void aMailboxOverItsQuotaFailsTheAppendAsAnIndefiniteErrorNamingTheServerAndTheReason() throws Exception {
    DOVECOT.server().setExtraFields(ann.name(), "userdb_quota_rule=*:messages=1");
    // Sessions logged in before the rule keep their userdb fields: a new store logs in afresh.
    store.close();
    store = open(dir.resolve("store"));
    long seq = store.lastSequence();
    StorefleetException e = assertThrows(StorefleetException.class, () -> store.addMessages(ann.id(), Folder.INBOX,
        List.of(message("one"), message("two")), Set.of(), Set.of()));
    assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
    assertFalse(e.code().definite());
    assertTrue(e.getMessage().contains("OVERQUOTA") && e.getMessage().contains("127.0.0.1:" + DOVECOT.server().imapPort())
        && e.getMessage().contains(ann.name()), e.getMessage());
    assertTrue(store.items(ann.id()).isEmpty(), "nothing of the batch is there");
    assertEquals(seq, store.lastSequence(), "and nothing was journalled");
    assertEquals(1, store.addMessages(ann.id(), Folder.INBOX, List.of(message("fits")), Set.of(), Set.of()).size());
  }

  @Test
  void theJournalAdvancesPastAGivenPositionOnceAndNeverBack() throws Exception {
    long last = store.lastSequence();
    assertEquals(last + 101, store.advanceJournal(last + 100));
    JournalEntry advanced = store.journal(last + 1, 10).get(0);
    assertEquals(Mutation.JOURNAL_ADVANCED, advanced.type());
    assertEquals(last + 101, advanced.seq());
    assertEquals(last, advanced.detail().path("previousSeq").asLong());
    assertEquals(last + 101, store.advanceJournal(last + 50), "a lower position changes nothing");
    store.close();
    store = open(dir.resolve("store"));
    Item next = store.addMessages(ann.id(), Folder.INBOX, List.of(message("after")), Set.of(), Set.of()).get(0);
    assertTrue(store.lastSequence() > last + 101 && next.modSeq() > last + 101, "continues above it after a restart");
  }

  /** The checks of a blob restore, before anything is written; the raw restore's side is ImapRawRestoreTest. */
  @Test
  void anItemAwaitingItsContentTakesOnlyBytesDovecotServesAsTheyAre() {
    byte[] wire = message("awaited");
    byte[] lfOnly = "From: x@example.test\nSubject: lf\n\nbody\n".getBytes(UTF_8);
    String wireDigest = io.storefleet.worker.backup.format.BlobCodec.sha256(wire);
    String lfDigest = io.storefleet.worker.backup.format.BlobCodec.sha256(lfOnly);
    List<Item> awaiting = store.restoreItems(ann.id(), List.of(
        new Item(1000, Folder.INBOX, ItemType.MESSAGE, wire.length, wireDigest, Set.of("seen"), Set.of("t"), 0, null,
            null, "awaited", "", ""),
        new Item(1001, Folder.INBOX, ItemType.MESSAGE, lfOnly.length, lfDigest, Set.of(), Set.of(), 0, null, null, "lf",
            "", "")));
    assertEquals(2, store.missingContent(1).size());
    StorefleetException flagged = assertThrows(StorefleetException.class,
        () -> store.setFlags(ann.id(), 1000, Set.of("flagged")));
    assertTrue(flagged.getMessage().contains("doRestoreBlobs"), flagged.getMessage());
    assertEquals(ErrorCode.ALREADY_EXISTS, assertThrows(StorefleetException.class,
        () -> store.restoreItems(ann.id(), List.of(awaiting.get(0)))).code());

    StorefleetException canonical = assertThrows(StorefleetException.class,
        () -> store.restoreContent(1, Map.of(wireDigest, wire, lfDigest, lfOnly)));
    assertEquals(ErrorCode.BAD_VALUE, canonical.code());
    assertTrue(canonical.getMessage().contains("canonical") && canonical.getMessage().contains("1001"),
        canonical.getMessage());
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class,
        () -> store.restoreContent(1, Map.of(wireDigest, lfOnly))).code());
    byte[] nobody = message("nobody's");
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(StorefleetException.class, () -> store.restoreContent(1,
        Map.of(io.storefleet.worker.backup.format.BlobCodec.sha256(nobody), nobody))).code());
    assertEquals(2, store.missingContent(1).size(), "nothing was written");

    assertEquals(Set.of(wireDigest), store.restoreContent(1, Map.of(wireDigest, wire)));
    assertEquals(List.of(1001), store.missingContent(1).stream().map(m -> m.itemId()).toList());
    Item back = store.item(ann.id(), 1000).orElseThrow();
    assertEquals(Set.of("seen"), back.flags());
    assertEquals(Set.of("t"), back.tags());
    assertEquals(wireDigest, io.storefleet.worker.backup.format.BlobCodec.sha256(store.content(ann.id(), 1000)));
    assertEquals(Set.of(), store.restoreContent(1, Map.of(wireDigest, wire)), "what is there is left alone");
  }

  /**
   * A worker that dies after a blob restore's APPEND but before its id map is saved: the next
   * pass takes the message for the awaiting item (same folder, digest and size), not for a new one,
   * and a second blob restore appends nothing.
   */
  @Test
  void aMessageAppendedForAnAwaitingItemBeforeACrashBecomesThatItemNotANewOne() {
    byte[] wire = message("appended before the crash");
    String digest = io.storefleet.worker.backup.format.BlobCodec.sha256(wire);
    store.restoreItems(ann.id(), List.of(new Item(1000, Folder.INBOX, ItemType.MESSAGE, wire.length, digest,
        Set.of("seen"), Set.of(), 0, null, null, "appended before the crash", "", "")));
    otherClient.call(ann.name(), s -> {
      s.append("INBOX", wire, ImapFlags.of(Set.of("seen"), Set.of()), null);
      return null;
    });
    long before = store.lastSequence();
    List<Item> inbox = store.items(ann.id(), Folder.INBOX);
    assertEquals(List.of(1000), inbox.stream().map(Item::id).toList());
    assertEquals(List.of(), store.journal(before + 1, 100), "no new item is journalled");
    assertEquals(List.of(), store.missingContent(1));
    assertEquals(Set.of(), store.restoreContent(1, Map.of(digest, wire)));
    assertEquals(1, otherClient.call(ann.name(), s -> s.messages("INBOX")).size(), "appended once");
    assertEquals(digest, io.storefleet.worker.backup.format.BlobCodec.sha256(store.content(ann.id(), 1000)));
  }

  /**
   * A blob restore lists the awaiting items once (missingContent) and then restores chunk by
   * chunk: each chunk opens only the accounts the listing found naming its contents, so no chunk
   * reads every account's id map again.
   */
  @Test
  void restoringContentChunkByChunkListsTheAccountsOnlyOnce() {
    Account bob = store.createAccount("bob-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
        Map.of());
    Map<String, byte[]> contents = new java.util.LinkedHashMap<>();
    for (int k = 0; k < 3; k++) {
      byte[] wire = message("chunk " + k);
      String digest = io.storefleet.worker.backup.format.BlobCodec.sha256(wire);
      contents.put(digest, wire);
      store.restoreItems(k == 1 ? bob.id() : ann.id(), List.of(new Item(1000 + k, Folder.INBOX, ItemType.MESSAGE,
          wire.length, digest, Set.of(), Set.of(), 0, null, null, "chunk " + k, "", "")));
    }
    assertEquals(3, store.missingContent(1).size());
    int listed = store.awaitedContent().listings();
    contents.forEach((digest, wire) -> assertEquals(Set.of(digest), store.restoreContent(1, Map.of(digest, wire))));
    assertEquals(listed, store.awaitedContent().listings(), "no chunk listed every account again");
    assertEquals(List.of(), store.missingContent(1));
    assertEquals(message("chunk 1").length, store.content(bob.id(), 1001).length);
  }

  @Test
  void whatImapCannotHoldIsRefused() {
    StorefleetException contact = assertThrows(StorefleetException.class, () -> store.addItem(ann.id(),
        Folder.INBOX, ItemType.CONTACT, "BEGIN:VCARD\r\nEND:VCARD\r\n".getBytes(UTF_8), "Bob"));
    assertEquals(ErrorCode.BAD_VALUE, contact.code());
    assertTrue(contact.getMessage().contains("messages only"), contact.getMessage());
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class,
        () -> store.createFolder(ann.id(), "/Contacts2", "contact")).code());
    Item card = new Item(300, Folder.INBOX, ItemType.CONTACT, 1, "0".repeat(64), Set.of(), Set.of(), 0, null, null, "",
        "", "");
    StorefleetException raw = assertThrows(StorefleetException.class, () -> store.restoreItems(ann.id(), List.of(card)));
    assertEquals(ErrorCode.BAD_VALUE, raw.code());
    assertTrue(raw.getMessage().contains("messages only"), raw.getMessage());
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class, () -> store.restoreFolder(ann.id(),
        new Folder(301, Folder.ROOT, "Cards", "/Cards", "contact", null))).code());
    assertEquals(List.of(), store.restoreItems(ann.id(), List.of()));
    assertEquals(1, store.volumes().size());
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(StorefleetException.class, () -> store.missingContent(2)).code());
    assertEquals(List.of(Provisioner.DEFAULT_COS), store.coses());
    assertTrue(store.distributionLists().isEmpty());
  }

  /** Domains, COS, aliases and lists: the contract tests them; here, that the worker's file keeps them. */
  @Test
  void theDirectoryDovecotDoesNotHoldIsKeptAcrossARestart() throws Exception {
    store.createDomain("kept.test");
    Cos gold = store.createCos("gold", "notes");
    store.setCosNotes("default", "${ZxBackup_Disabled}");
    Account u = store.createAccount("u@kept.test", "gold", Map.of());
    store.addAlias(u.id(), "you@kept.test");
    DistributionList list = store.createDistributionList("all@kept.test", List.of("u@kept.test"));
    store.close();
    store = open(dir.resolve("store"));
    assertTrue(store.domains().stream().anyMatch(d -> d.name().equals("kept.test")));
    assertEquals(List.of(new Cos(Provisioner.DEFAULT_COS.id(), "default", "${ZxBackup_Disabled}"), gold), store.coses());
    Account back = store.account("you@kept.test").orElseThrow();
    assertEquals(u.id(), back.id());
    assertEquals("gold", back.cos());
    assertEquals(List.of("you@kept.test"), back.aliases());
    assertEquals(List.of(list), store.distributionLists());
    assertEquals(ErrorCode.CONFLICT, assertThrows(StorefleetException.class, () -> store.deleteCos("default")).code());
  }

  /** The private Dovecot as a site that provisions its users elsewhere (no store.usersFile). */
  private static ImapStoreConfig external() {
    DovecotServer d = DOVECOT.server();
    return new ImapStoreConfig("127.0.0.1", d.imapPort(), ImapStoreConfig.Tls.NONE, null,
        d.masterUser(), d.masterPasswordFile(), ImapSessionTest.config(d, 1).doveadmUrl(), d.doveadmPasswordFile(),
        1, null, java.time.Duration.ofSeconds(60));
  }

  @Test
  void withoutAUsersFileProvisioningNamesTheOperatorsStep() throws Exception {
    try (ImapMailStore ext = ImapMailStore.open(external(), dir.resolve("ext"), MutableClock.atEpoch2026())) {
      StorefleetException e = assertThrows(StorefleetException.class,
          () -> ext.createAccount("new@example.test", null, Map.of()));
      assertEquals(ErrorCode.NOT_IMPLEMENTED, e.code());
      assertTrue(e.getMessage().contains("create new@example.test in the site's userdb"), e.getMessage());
      assertEquals(ann.id(), ext.account(ann.name()).orElseThrow().id());
    }
  }

  /**
   * Counted at the store's doveadm client: accounts are listed once per store.accountCacheSeconds
   * (60 here), however often they are asked for, and a user added meanwhile shows after the TTL.
   */
  @Test
  void theAccountListIsReusedWithinItsTtlAndListedAgainAfter() throws Exception {
    MutableClock clock = MutableClock.atEpoch2026();
    try (ImapMailStore cached = ImapMailStore.open(ImapSessionTest.config(DOVECOT.server(), 2), dir.resolve("cached"),
        clock)) {
      int before = cached.directory.listings();
      List<String> first = cached.accounts().stream().map(Account::name).toList();
      assertTrue(first.contains(ann.name()), first.toString());
      Account added = store.createAccount("late-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test",
          null, Map.of());
      clock.advance(java.time.Duration.ofSeconds(59));
      for (int i = 0; i < 5; i++) {
        assertEquals(first, cached.accounts().stream().map(Account::name).toList(), "the cached list");
      }
      assertEquals(before + 1, cached.directory.listings(), "one listing within the TTL");
      clock.advance(java.time.Duration.ofSeconds(1));
      assertTrue(cached.accounts().stream().anyMatch(a -> a.id().equals(added.id())), "listed again after the TTL");
      cached.accounts();
      assertEquals(before + 2, cached.directory.listings(), "a second listing, reused in turn");
    }
  }

  @Test
  void withoutAUsersFileDeletingNamesTheUserTheOperatorDeletesAndKeepsTheAccount() throws Exception {
    Item kept = store.addMessages(ann.id(), Folder.INBOX, List.of(message("kept")), Set.of(), Set.of()).get(0);
    try (ImapMailStore ext = ImapMailStore.open(external(), dir.resolve("ext"), MutableClock.atEpoch2026())) {
      StorefleetException e = assertThrows(StorefleetException.class, () -> ext.deleteAccount(ann.id()));
      assertEquals(ErrorCode.NOT_IMPLEMENTED, e.code());
      assertTrue(e.getMessage().contains("delete the user " + ann.name() + " (account " + ann.id() + ")")
          && e.getMessage().contains("127.0.0.1:" + DOVECOT.server().imapPort()), e.getMessage());
      assertTrue(e.getMessage().contains("doveadm mailbox metadata unset -u " + ann.name() + " -s '' "
          + AccountDirectory.ACCOUNT_ID), e.getMessage());
      StorefleetException unknown = assertThrows(StorefleetException.class, () -> ext.deleteAccount("no-such-id"));
      assertEquals(ErrorCode.NOT_FOUND, unknown.code());
      assertEquals(ann.id(), ext.account(ann.name()).orElseThrow().id());
    }
    assertEquals(kept.digest(), store.item(ann.id(), kept.id()).orElseThrow().digest(), "its mail is untouched");
  }

  @Test
  void aDeletedAccountsSessionIsNotKept() {
    store.folders(ann.id());
    int kept = store.keptSessions();
    store.deleteAccount(ann.id());
    assertEquals(kept - 1, store.keptSessions(), "its Dovecot process keeps the old user's uid and home");
  }

  @Test
  void sessionsIdleTooLongAreClosedByTheSweepWithoutACall() throws Exception {
    ImapStoreConfig c = ImapSessionTest.config(DOVECOT.server(), 2);
    MutableClock clock = MutableClock.atEpoch2026();
    ImapConnections swept = new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()), clock);
    try {
      swept.call(ann.name(), ImapSession::mailboxes);
      swept.sweepIdle();
      assertEquals(1, swept.keptSessions(), "idle for less than " + ImapConnections.MAX_IDLE);
      clock.advance(ImapConnections.MAX_IDLE);
      swept.sweepIdle();
      assertEquals(0, swept.keptSessions());
    } finally {
      swept.close();
    }
  }

  @Test
  void aServerThatIsDownIsAnIndefiniteErrorNamingIt() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    DovecotServer d = DOVECOT.server();
    ImapStoreConfig down = new ImapStoreConfig("127.0.0.1", closed, ImapStoreConfig.Tls.NONE, null, d.masterUser(),
        d.masterPasswordFile(), ImapSessionTest.config(d, 1).doveadmUrl(), d.doveadmPasswordFile(), 1, d.usersFile(),
        java.time.Duration.ofSeconds(60));
    try (ImapMailStore broken = ImapMailStore.open(down, dir.resolve("down"), MutableClock.atEpoch2026())) {
      StorefleetException e = assertThrows(StorefleetException.class, () -> broken.folders(ann.name()));
      assertEquals(ErrorCode.IO_ERROR, e.code());
      assertFalse(e.code().definite());
      assertTrue(e.getMessage().contains("127.0.0.1:" + closed) && e.getMessage().contains("unreachable"),
          e.getMessage());
    }
  }

  private static String subjectOf(ImapSession s, long uid) {
    try {
      String text = new String(s.body("INBOX", uid).orElseThrow(), UTF_8);
      return text.substring(text.indexOf("Subject: ") + 9, text.indexOf("\r\n", text.indexOf("Subject: ")));
    } catch (org.eclipse.angus.mail.iap.ProtocolException e) {
      throw new IllegalStateException(e);
    }
  }
}
