package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.local.ProvisioningTest.fails;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.Volume;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MailStore additions raw restore and blob restore use, on the embedded store. */
class RawRestoreStoreTest {
  private static final String JOHN_ID = "0b8a4f6e-3c1d-4e55-9a43-2f6f8c1d7e01";
  private static final Instant CREATED = Instant.parse("2024-03-01T08:00:00Z");
  private static final Instant RECEIVED = Instant.parse("2025-06-30T12:34:56Z");
  private static final byte[] BODY = "Subject: kept\r\n\r\nbody\r\n".getBytes(UTF_8);
  private static final byte[] OTHER = "Subject: other\r\n\r\nmore\r\n".getBytes(UTF_8);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();
  private LocalMailStore store;

  @BeforeEach
  void open() throws Exception {
    store = LocalMailStore.open(dir, clock);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private Account john() {
    store.restoreDomain(new Domain("example.com", CREATED));
    store.restoreCos(new Cos("c0ffee00-0000-4000-8000-000000000001", "staff", "${ZxBackup_Disabled}"));
    return store.restoreAccount(new Account(JOHN_ID, "john@example.com", "example.com", "staff", "locked",
        Map.of("displayName", "John"), List.of("jd@example.com", "j@example.com"), CREATED));
  }

  private static Item item(int id, int folderId, byte[] content, Set<String> flags) {
    return new Item(id, folderId, ItemType.MESSAGE, content.length, BlobFiles.digest(content), flags, Set.of("t"),
        0, null, RECEIVED, "kept", "ann@example.org", "john@example.com");
  }

  @Test
  void provisioningKeepsRecordedIdsAndDatesAndIsJournalledLikeCreation() throws Exception {
    Account john = john();
    DistributionList all = store.restoreDistributionList(
        new DistributionList("d1570000-0000-4000-8000-000000000002", "all@example.com", List.of("John@example.com")));
    assertEquals(JOHN_ID, john.id());
    assertEquals(CREATED, john.createdAt());
    assertEquals(List.of("jd@example.com", "j@example.com"), john.aliases());
    assertEquals("locked", john.status());
    assertEquals("staff", john.cos());
    assertEquals(CREATED, store.domains().get(0).createdAt());
    assertEquals("c0ffee00-0000-4000-8000-000000000001", store.cos("staff").orElseThrow().id());
    assertEquals("${ZxBackup_Disabled}", store.cos("staff").orElseThrow().notes());
    assertEquals(List.of("john@example.com"), all.members());
    assertEquals(JOHN_ID, store.account("jd@example.com").orElseThrow().id());
    assertEquals(10, store.folders(JOHN_ID).size(), "system folders come with the account");

    List<Mutation> types = store.journal(1, 100).stream().map(JournalEntry::type).toList();
    assertEquals(List.of(Mutation.COS_CREATED, Mutation.DOMAIN_CREATED, Mutation.COS_CREATED,
        Mutation.ACCOUNT_CREATED, Mutation.ALIAS_ADDED, Mutation.ALIAS_ADDED, Mutation.DL_CREATED), types);
    JournalEntry created = store.journal(4, 1).get(0);
    assertEquals(JOHN_ID, created.accountId());
    assertEquals(JOHN_ID, created.detail().get("id").asText());

    store.close();
    store = LocalMailStore.open(dir, clock);
    assertEquals(john, store.account(JOHN_ID).orElseThrow(), "replay rebuilds the restored account exactly");
    assertEquals(CREATED, store.domains().get(0).createdAt());
  }

  @Test
  void provisioningRefusesTakenIdsAndNamesAndMissingParents() {
    Account john = john();
    fails(ErrorCode.ALREADY_EXISTS, "already used by account john@example.com",
        () -> store.restoreAccount(new Account(JOHN_ID, "other@example.com", "example.com", "default", "active",
            Map.of(), List.of(), null)));
    fails(ErrorCode.ALREADY_EXISTS, "an alias of account john@example.com",
        () -> store.restoreAccount(new Account("a1", "jd@example.com", "example.com", "default", "active",
            Map.of(), List.of(), null)));
    fails(ErrorCode.NOT_FOUND, "domain other.org not found",
        () -> store.restoreAccount(new Account("a2", "x@other.org", "other.org", "default", "active",
            Map.of(), List.of(), null)));
    fails(ErrorCode.NOT_FOUND, "cos gold not found",
        () -> store.restoreAccount(new Account("a3", "x@example.com", "example.com", "gold", "active",
            Map.of(), List.of(), null)));
    fails(ErrorCode.BAD_VALUE, "lower-case id",
        () -> store.restoreAccount(new Account("A4", "y@example.com", "example.com", "default", "active",
            Map.of(), List.of(), null)));
    fails(ErrorCode.ALREADY_EXISTS, "already used by cos staff",
        () -> store.restoreCos(new Cos("c0ffee00-0000-4000-8000-000000000001", "gold", "")));
    fails(ErrorCode.ALREADY_EXISTS, "domain example.com already exists",
        () -> store.restoreDomain(new Domain("example.com", null)));
    assertEquals(List.of(john), store.accounts(), "a refused restore changes nothing");
  }

  @Test
  void foldersAndMountpointsKeepTheirIds() throws Exception {
    Account john = john();
    Folder projects = store.restoreFolder(john.id(), new Folder(300, Folder.INBOX, "Projects", null, "message", null));
    Folder deep = store.restoreFolder(john.id(), new Folder(280, 300, "2026", null, "message", null));
    Mountpoint target = new Mountpoint("f00d0000-0000-4000-8000-000000000003", 259, "ann@example.com");
    Folder mount = store.restoreFolder(john.id(), new Folder(400, Folder.ROOT, "Ann", null, "contact", target));
    assertEquals("/Inbox/Projects", projects.path());
    assertEquals("/Inbox/Projects/2026", deep.path());
    assertEquals(target, mount.mount());
    assertEquals(Mutation.MOUNTPOINT_CREATED, store.journal(store.lastSequence(), 1).get(0).type());

    fails(ErrorCode.BAD_VALUE, "system folder", () -> store.restoreFolder(john.id(),
        new Folder(Folder.INBOX, Folder.ROOT, "Inbox", null, "message", null)));
    fails(ErrorCode.ALREADY_EXISTS, "already has id 300", () -> store.restoreFolder(john.id(),
        new Folder(300, Folder.ROOT, "Other", null, "message", null)));
    fails(ErrorCode.ALREADY_EXISTS, "cannot take its path", () -> store.restoreFolder(john.id(),
        new Folder(301, Folder.INBOX, "projects", null, "message", null)));
    fails(ErrorCode.CONFLICT, "is a mountpoint", () -> store.restoreFolder(john.id(),
        new Folder(302, 400, "Sub", null, "message", null)));
    fails(ErrorCode.NOT_FOUND, "folder 999 not found", () -> store.restoreFolder(john.id(),
        new Folder(303, 999, "Lost", null, "message", null)));

    Folder next = store.createFolder(john.id(), "/Later", null);
    assertEquals(401, next.id(), "new ids continue after the highest restored one");
    store.close();
    store = LocalMailStore.open(dir, clock);
    assertEquals(List.of(projects, deep), List.of(store.folder(JOHN_ID, "/Inbox/Projects").orElseThrow(),
        store.folder(JOHN_ID, "/Inbox/Projects/2026").orElseThrow()));
  }

  @Test
  void itemsAreMetadataOnlyUntilTheirContentIsRestored() throws Exception {
    Account john = john();
    long before = store.lastSequence();
    clock.set(Instant.parse("2026-02-01T00:00:00Z"));
    List<Item> restored = store.restoreItems(john.id(),
        List.of(item(900, Folder.INBOX, BODY, Set.of("seen", "flagged")), item(500, Folder.INBOX, OTHER, Set.of()),
            item(700, Folder.TRASH, BODY, Set.of())));
    assertEquals(List.of(900, 500, 700), restored.stream().map(Item::id).toList());
    Item kept = store.item(john.id(), 900).orElseThrow();
    assertEquals(RECEIVED, kept.receivedAt(), "arrival time as recorded");
    assertEquals(Instant.parse("2026-02-01T00:00:00Z"), kept.modifiedAt());
    assertEquals(Set.of("seen", "flagged"), kept.flags());
    assertEquals(BlobFiles.digest(BODY), kept.digest());
    fails(ErrorCode.IO_ERROR, "doRestoreBlobs", () -> store.content(john.id(), 900));

    List<JournalEntry> entries = store.journal(before + 1, 10);
    assertEquals(3, entries.size());
    JournalEntry e = entries.get(0);
    assertEquals(Mutation.ITEM_CREATED, e.type());
    for (String field : List.of("id", "folderId", "type", "size", "digest", "flags", "tags", "subject", "from", "to",
        "receivedAt")) {
      assertTrue(e.detail().has(field), "ITEM_CREATED detail has " + field + ": " + e.detail());
    }

    List<MissingContent> missing = store.missingContent(1);
    assertEquals(3, missing.size());
    assertTrue(missing.stream().noneMatch(MissingContent::damaged));
    Item added = store.addMessages(john.id(), Folder.INBOX, List.of("Subject: new\r\n\r\nx".getBytes(UTF_8)),
        Set.of(), Set.of()).get(0);
    assertEquals(901, added.id(), "new items get ids after the highest restored one");

    fails(ErrorCode.ALREADY_EXISTS, "id 500 is already taken",
        () -> store.restoreItems(john.id(), List.of(item(500, Folder.INBOX, BODY, Set.of()))));
    fails(ErrorCode.ALREADY_EXISTS, "id 600 is already taken",
        () -> store.restoreItems(john.id(), List.of(item(600, Folder.INBOX, BODY, Set.of()),
            item(600, Folder.INBOX, OTHER, Set.of()))));
    fails(ErrorCode.BAD_VALUE, "below 257",
        () -> store.restoreItems(john.id(), List.of(item(12, Folder.INBOX, BODY, Set.of()))));
    fails(ErrorCode.BAD_VALUE, "SHA-256 digest", () -> store.restoreItems(john.id(), List.of(
        new Item(610, Folder.INBOX, ItemType.MESSAGE, 3, "nope", Set.of(), Set.of(), 0, null, null, "", "", ""))));
    assertTrue(store.item(john.id(), 600).isEmpty(), "a refused batch adds nothing");
  }

  @Test
  void contentRestoreChecksDigestWritesDurablyAndIsJournalled() throws Exception {
    Account john = john();
    store.restoreItems(john.id(), List.of(item(300, Folder.INBOX, BODY, Set.of()), item(301, Folder.SENT, BODY, Set.of()),
        item(302, Folder.INBOX, OTHER, Set.of())));
    assertEquals(List.of(new Volume(1, "primary", "primary", dir.resolve("blobs").toString(), true)), store.volumes());

    String body = BlobFiles.digest(BODY);
    String other = BlobFiles.digest(OTHER);
    fails(ErrorCode.BAD_VALUE, "has digest", () -> store.restoreContent(1, Map.of(body, BODY, other, BODY)));
    byte[] hello = MailboxOperationsTest.HELLO;
    fails(ErrorCode.NOT_FOUND, "no live item",
        () -> store.restoreContent(1, Map.of(body, BODY, BlobFiles.digest(hello), hello)));
    assertEquals(3, store.missingContent(1).size(), "a refused batch writes nothing");
    fails(ErrorCode.NOT_FOUND, "volume 2 does not exist", () -> store.missingContent(2));
    fails(ErrorCode.NOT_FOUND, "volume 2 does not exist", () -> store.restoreContent(2, Map.of(body, BODY)));

    long before = store.lastSequence();
    assertEquals(Set.of(body), store.restoreContent(1, Map.of(body, BODY)));
    assertArrayEquals(BODY, store.content(john.id(), 300));
    assertArrayEquals(BODY, store.content(john.id(), 301), "one content serves every item that names it");
    JournalEntry e = store.journal(before + 1, 1).get(0);
    assertEquals(Mutation.CONTENT_RESTORED, e.type());
    assertEquals(null, e.accountId());
    assertEquals(body, e.detail().get("digest").asText());
    assertEquals(1, e.detail().get("volumeId").asInt());
    assertEquals(BODY.length, e.detail().get("size").asLong());
    assertEquals(Set.of(), store.restoreContent(1, Map.of(body, BODY)), "already there: nothing to do");
    assertEquals(before + 1, store.lastSequence());
    assertEquals(List.of(302), store.missingContent(1).stream().map(MissingContent::itemId).toList());

    // A damaged content file is reported as such and replaced.
    Path file = dir.resolve("blobs").resolve(BlobFiles.digest(BODY).substring(0, 2)).resolve(BlobFiles.digest(BODY));
    Files.write(file, "Subject: kepT\r\n\r\nbody\r\n".getBytes(UTF_8));
    List<MissingContent> damaged = store.missingContent(1);
    assertEquals(List.of(300, 301, 302), damaged.stream().map(MissingContent::itemId).sorted().toList());
    assertTrue(damaged.stream().filter(m -> m.itemId() == 300).findFirst().orElseThrow().damaged());
    assertFalse(damaged.stream().filter(m -> m.itemId() == 302).findFirst().orElseThrow().damaged());
    before = store.lastSequence();
    assertEquals(Set.of(body, other), store.restoreContent(1, Map.of(body, BODY, other, OTHER)));
    assertEquals(before + 2, store.lastSequence(), "one entry per content, in one commit");
    assertArrayEquals(BODY, store.content(john.id(), 300));
    assertTrue(store.missingContent(1).isEmpty());

    store.close();
    store = LocalMailStore.open(dir, clock);
    assertArrayEquals(BODY, store.content(JOHN_ID, 301), "restored content survives a restart");
    assertArrayEquals(OTHER, store.content(JOHN_ID, 302));
    assertTrue(store.missingContent(1).isEmpty());
  }

  @Test
  void journalAdvancesPastAPositionAndReadsAcrossTheGapAfterReopen() throws Exception {
    Account john = john();
    long last = store.lastSequence();
    assertEquals(last, store.advanceJournal(last - 1), "already past: nothing changes");
    assertEquals(last, store.lastSequence());
    assertEquals(5001, store.advanceJournal(5000));
    JournalEntry jump = store.journal(last + 1, 10).get(0);
    assertEquals(5001, jump.seq());
    assertEquals(Mutation.JOURNAL_ADVANCED, jump.type());
    assertEquals(last, jump.detail().get("previousSeq").asLong());
    Item i = store.restoreItems(john.id(), List.of(item(300, Folder.INBOX, BODY, Set.of()))).get(0);
    assertEquals(5002, i.modSeq());
    assertEquals(5002, store.lastChange(john.id()));
    assertEquals(List.of(5001L, 5002L), store.journal(2000, 10).stream().map(JournalEntry::seq).toList());
    fails(ErrorCode.BAD_VALUE, "negative", () -> store.advanceJournal(-1));

    store.close();
    store = LocalMailStore.open(dir, clock);
    assertEquals(5002, store.lastSequence(), "replay accepts the gap the entry explains");
    assertEquals(List.of(last, 5001L, 5002L), store.journal(last, 10).stream().map(JournalEntry::seq).toList());
    assertEquals(5003, store.addMessages(JOHN_ID, Folder.INBOX, List.of(OTHER), Set.of(), Set.of()).get(0).modSeq());
  }
}
