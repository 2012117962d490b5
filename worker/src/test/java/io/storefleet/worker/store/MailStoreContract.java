package io.storefleet.worker.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.BlobCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link MailStore} owes its callers, run against each store kind by a
 * subclass. A kind that cannot do something lists the test with its reason in {@link #skipped()},
 * the one place such exceptions are written.
 */
public abstract class MailStoreContract {
  protected static final byte[] HELLO = ("From: Ann <ann@example.org>\r\nTo: john@example.com\r\n"
      + "Cc: bob@example.com\r\nSubject: Hello\r\n\r\nHi!\r\n").getBytes(UTF_8);

  @TempDir protected Path dir;
  protected MailStore store;
  protected Account ann;

  /** A store on an empty folder of the worker's disk. */
  protected abstract MailStore open(Path dir) throws Exception;

  /** Creates an account {@code <local>@<domain>} in whatever the kind needs first (a domain). */
  protected abstract Account newAccount(MailStore store, String local, String domain);

  /** Test method name → why this kind skips it. */
  protected Map<String, String> skipped() {
    return Map.of();
  }

  @BeforeEach
  void openStore(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    Assumptions.assumeFalse(skipped().containsKey(name), () -> getClass().getSimpleName() + " skips " + name + ": "
        + skipped().get(name));
    store = open(dir);
    ann = newAccount(store, "ann-" + UUID.randomUUID().toString().substring(0, 8), "example.test");
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  protected static byte[] message(String subject) {
    return ("From: x@example.test\r\nTo: ann@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject
        + "\r\n").getBytes(UTF_8);
  }

  protected static void fails(ErrorCode code, Executable call) {
    StorefleetException e = assertThrows(StorefleetException.class, call);
    assertEquals(code, e.code(), e.getMessage());
  }

  @Test
  void anAccountIsListedAndFoundByNameAndIdCaseInsensitively() {
    assertTrue(store.accounts().stream().anyMatch(a -> a.id().equals(ann.id())));
    assertEquals(ann.id(), store.account(ann.name().toUpperCase()).orElseThrow().id());
    assertEquals(ann.name(), store.account(ann.id()).orElseThrow().name());
    assertTrue(store.account("nobody@example.test").isEmpty());
    assertTrue(store.domains().stream().anyMatch(d -> d.name().equals("example.test")));
  }

  @Test
  void aNewAccountHasTheSystemMessageFolders() {
    Map<Integer, String> paths = store.folders(ann.id()).stream()
        .collect(Collectors.toMap(Folder::id, Folder::path));
    assertEquals("/", paths.get(Folder.ROOT));
    assertEquals("/Inbox", paths.get(Folder.INBOX));
    assertEquals("/Trash", paths.get(Folder.TRASH));
    assertEquals("/Junk", paths.get(Folder.JUNK));
    assertEquals("/Sent", paths.get(Folder.SENT));
    assertEquals("/Drafts", paths.get(Folder.DRAFTS));
  }

  @Test
  void createsFoldersWithParentsOnceAndFindsThemCaseInsensitively() {
    Folder f = store.createFolder(ann.id(), "/Inbox/Projects/2026", "message");
    assertEquals("/Inbox/Projects/2026", f.path());
    assertTrue(f.id() >= Folder.FIRST_USER_ID);
    Folder parent = store.folder(ann.id(), "/inbox/PROJECTS").orElseThrow();
    assertEquals(Folder.INBOX, parent.parentId());
    assertEquals(parent.id(), f.parentId());
    assertEquals(f.id(), store.createFolder(ann.id(), "/Inbox/Projects/2026", "message").id());
    Folder top = store.createFolder(ann.id(), "/Äpfel & Birnen", "message");
    assertEquals("Äpfel & Birnen", top.name());
    assertEquals(top.id(), store.folder(ann.id(), "/Äpfel & Birnen").orElseThrow().id());
  }

  @Test
  void addedMessagesKeepFlagsTagsAndAreDigestedAsTheirContent() {
    List<Item> added = store.addMessages(ann.id(), Folder.INBOX, List.of(HELLO, message("two")),
        Set.of("seen", "flagged"), Set.of("work", "two words", "ünï"));
    assertEquals(2, added.size());
    Item hello = added.get(0);
    assertEquals(Folder.INBOX, hello.folderId());
    assertEquals(ItemType.MESSAGE, hello.type());
    assertEquals(Set.of("seen", "flagged"), hello.flags());
    assertEquals(Set.of("work", "two words", "ünï"), hello.tags());
    assertEquals("Hello", hello.subject());
    assertTrue(hello.from().contains("ann@example.org"));
    assertTrue(hello.to().contains("john@example.com") && hello.to().contains("bob@example.com"));
    assertTrue(hello.id() >= Folder.FIRST_USER_ID);
    assertTrue(added.get(1).id() != hello.id());
    for (Item i : added) {
      byte[] content = store.content(ann.id(), i.id());
      assertEquals(BlobCodec.sha256(content), i.digest());
      assertEquals(content.length, i.size());
    }
    // A CRLF message is its own wire form: every store gives it back byte for byte.
    assertArrayEquals(HELLO, store.content(ann.id(), hello.id()));
    assertEquals(added, store.items(ann.id(), Folder.INBOX));
    assertEquals(hello, store.item(ann.id(), hello.id()).orElseThrow());
  }

  @Test
  void aMessageAddedWithItsArrivalTimeKeepsItAndTheJournalSaysSo() {
    Instant then = Instant.parse("2019-05-01T08:00:01Z");
    List<Item> added = store.addMessages(ann.id(), Folder.INBOX, List.of(message("old"), message("new")), Set.of(),
        Set.of(), Arrays.asList(then, null));
    assertEquals(then, added.get(0).receivedAt());
    assertEquals(then, store.item(ann.id(), added.get(0).id()).orElseThrow().receivedAt());
    assertNotEquals(then, added.get(1).receivedAt(), "no arrival time given: it arrives when added");
    JournalEntry created = store.journal(0, Integer.MAX_VALUE).stream()
        .filter(e -> e.type() == Mutation.ITEM_CREATED && e.itemId() == added.get(0).id()).findFirst().orElseThrow();
    assertEquals(then, Instant.parse(created.detail().path("receivedAt").asText()));
    fails(ErrorCode.BAD_VALUE, () -> store.addMessages(ann.id(), Folder.INBOX, List.of(message("a"), message("b")),
        Set.of(), Set.of(), List.of(then)));
  }

  @Test
  void aBatchGivesEachMessageItsOwnFlagsTagsAndArrival() {
    Instant then = Instant.parse("2018-03-04T05:06:07Z");
    List<NewMessage> batch = List.of(new NewMessage(message("one"), Set.of("seen"), Set.of("work"), then),
        new NewMessage(message("two"), Set.of(), Set.of(), null),
        new NewMessage(message("three"), Set.of("flagged", "seen"), Set.of("x", "work"), then.plusSeconds(60)));
    List<Item> added = store.addMessages(ann.id(), Folder.INBOX, batch);
    assertEquals(3, added.size());
    for (int k = 0; k < 3; k++) {
      Item listed = store.item(ann.id(), added.get(k).id()).orElseThrow();
      assertEquals(batch.get(k).flags(), listed.flags(), "message " + k);
      assertEquals(batch.get(k).tags(), listed.tags(), "message " + k);
      assertArrayEquals(batch.get(k).raw(), store.content(ann.id(), listed.id()), "message " + k);
    }
    assertEquals(then, added.get(0).receivedAt());
    assertNotEquals(then, added.get(1).receivedAt(), "no arrival time given: it arrives when added");
    assertEquals(then.plusSeconds(60), added.get(2).receivedAt());
    int before = store.items(ann.id()).size();
    fails(ErrorCode.BAD_VALUE, () -> store.addMessages(ann.id(), Folder.INBOX, List.of(
        new NewMessage(message("good"), Set.of(), Set.of(), null), new NewMessage(message("bad"), Set.of("nope"),
            Set.of(), null))));
    assertEquals(before, store.items(ann.id()).size(), "a refused batch adds nothing");
  }

  @Test
  void anLfOnlyMessageComesBackWithItsLinesIntact() {
    byte[] lf = "From: a@example.test\nSubject: lf\n\nline one\nline two\n".getBytes(UTF_8);
    Item i = store.addMessages(ann.id(), Folder.INBOX, List.of(lf), Set.of(), Set.of()).get(0);
    byte[] back = store.content(ann.id(), i.id());
    // The embedded store keeps the bytes; an IMAP server serves CRLF. Both keep every line.
    assertEquals(new String(lf, UTF_8), new String(back, UTF_8).replace("\r\n", "\n"));
    assertEquals(BlobCodec.sha256(back), i.digest());
  }

  @Test
  void movingKeepsTheIdAndIsJournalled() {
    Folder archive = store.createFolder(ann.id(), "/Archive", "message");
    Item i = store.addMessages(ann.id(), Folder.INBOX, List.of(message("m")), Set.of("seen"), Set.of("t")).get(0);
    long before = store.lastSequence();
    Item moved = store.moveItem(ann.id(), i.id(), archive.id());
    assertEquals(i.id(), moved.id());
    assertEquals(archive.id(), moved.folderId());
    assertEquals(i.digest(), moved.digest());
    assertEquals(Set.of("seen"), moved.flags());
    assertEquals(Set.of("t"), moved.tags());
    assertTrue(store.items(ann.id(), Folder.INBOX).isEmpty());
    assertEquals(List.of(moved), store.items(ann.id(), archive.id()));
    JournalEntry e = only(store.journal(before + 1, 100), Mutation.ITEM_MOVED);
    assertEquals(i.id(), e.itemId());
    assertEquals(archive.id(), e.detail().path("folderId").asInt());
    assertEquals(moved.modSeq(), e.seq());
  }

  @Test
  void flagsAndTagsAreReplacedAndJournalled() {
    Item i = store.addMessages(ann.id(), Folder.INBOX, List.of(message("f")), Set.of(), Set.of()).get(0);
    long before = store.lastSequence();
    Item flagged = store.setFlags(ann.id(), i.id(), Set.of("answered", "flagged"));
    assertEquals(Set.of("answered", "flagged"), flagged.flags());
    Item tagged = store.setTags(ann.id(), i.id(), Set.of("a b", "c(d)"));
    assertEquals(Set.of("a b", "c(d)"), tagged.tags());
    assertEquals(Set.of("answered", "flagged"), tagged.flags());
    assertEquals(tagged, store.item(ann.id(), i.id()).orElseThrow());
    List<JournalEntry> entries = store.journal(before + 1, 100);
    assertEquals(Set.of("answered", "flagged"), texts(only(entries, Mutation.ITEM_FLAGS_CHANGED), "flags"));
    assertEquals(Set.of("a b", "c(d)"), texts(only(entries, Mutation.ITEM_TAGS_CHANGED), "tags"));
    fails(ErrorCode.BAD_VALUE, () -> store.setFlags(ann.id(), i.id(), Set.of("sparkly")));
    assertEquals(tagged, store.item(ann.id(), i.id()).orElseThrow());
  }

  @Test
  void deletingRemovesExactlyThatItem() {
    List<Item> added = store.addMessages(ann.id(), Folder.INBOX, List.of(message("a"), message("b")),
        Set.of(), Set.of());
    long before = store.lastSequence();
    store.deleteItem(ann.id(), added.get(0).id());
    assertTrue(store.item(ann.id(), added.get(0).id()).isEmpty());
    assertEquals(List.of(added.get(1)), store.items(ann.id(), Folder.INBOX));
    assertEquals(added.get(0).id(), only(store.journal(before + 1, 100), Mutation.ITEM_DELETED).itemId());
    fails(ErrorCode.NOT_FOUND, () -> store.deleteItem(ann.id(), added.get(0).id()));
  }

  @Test
  void emptyingAFolderLeavesTheOthers() {
    Folder other = store.createFolder(ann.id(), "/Other", "message");
    store.addMessages(ann.id(), Folder.TRASH, List.of(message("a"), message("b")), Set.of(), Set.of());
    Item kept = store.addMessages(ann.id(), other.id(), List.of(message("c")), Set.of(), Set.of()).get(0);
    long before = store.lastSequence();
    assertEquals(2, store.emptyFolder(ann.id(), Folder.TRASH));
    assertTrue(store.items(ann.id(), Folder.TRASH).isEmpty());
    assertEquals(List.of(kept), store.items(ann.id(), other.id()));
    assertEquals(2, only(store.journal(before + 1, 100), Mutation.FOLDER_EMPTIED).detail().path("itemIds").size());
  }

  @Test
  void aSnapshotIsTheMailboxAtTheLastSequence() {
    store.createFolder(ann.id(), "/Projects", "message");
    List<Item> added = store.addMessages(ann.id(), Folder.INBOX, List.of(message("s")), Set.of(), Set.of());
    MailboxSnapshot snap = store.snapshot(ann.id());
    assertEquals(ann.id(), snap.account().id());
    assertEquals(store.lastSequence(), snap.seq());
    assertEquals(added, snap.items());
    assertTrue(snap.folders().stream().anyMatch(f -> f.path().equals("/Projects")));
    assertTrue(snap.grants().isEmpty());
    assertEquals(store.items(ann.id()), snap.items());
    assertEquals(1, store.itemCount(ann.id()));
  }

  @Test
  void theJournalIsOrderedAndCarriesWhatAFollowerReplays() {
    long before = store.lastSequence();
    long changeBefore = store.lastChange(ann.id());
    Item i = store.addMessages(ann.id(), Folder.INBOX, List.of(HELLO), Set.of("seen"), Set.of("x")).get(0);
    List<JournalEntry> entries = store.journal(before + 1, 100);
    for (int k = 1; k < entries.size(); k++) {
      assertTrue(entries.get(k).seq() > entries.get(k - 1).seq());
    }
    JournalEntry created = only(entries, Mutation.ITEM_CREATED);
    assertEquals(ann.id(), created.accountId());
    assertEquals(i.id(), created.detail().path("id").asInt());
    assertEquals(Folder.INBOX, created.detail().path("folderId").asInt());
    assertEquals(i.digest(), created.detail().path("digest").asText());
    assertEquals(i.size(), created.detail().path("size").asLong());
    assertEquals("Hello", created.detail().path("subject").asText());
    assertEquals(Set.of("seen"), texts(created, "flags"));
    assertEquals(Set.of("x"), texts(created, "tags"));
    assertTrue(store.lastChange(ann.id()) > changeBefore);
    assertEquals(created.seq(), store.lastChange(ann.id()));
    List<JournalEntry> heard = new ArrayList<>();
    store.addListener(heard::add);
    store.setFlags(ann.id(), i.id(), Set.of());
    assertEquals(Mutation.ITEM_FLAGS_CHANGED, heard.get(heard.size() - 1).type());
  }

  @Test
  void nonMessageItemsAreStored() {
    Item c = store.addItem(ann.id(), Folder.CONTACTS, ItemType.CONTACT, "BEGIN:VCARD\r\nEND:VCARD\r\n".getBytes(UTF_8),
        "Bob");
    assertEquals(ItemType.CONTACT, c.type());
  }

  @Test
  void badInputIsRefusedWithoutChange() {
    fails(ErrorCode.NOT_FOUND, () -> store.folders("nobody@example.test"));
    fails(ErrorCode.NOT_FOUND, () -> store.addMessages(ann.id(), 999_999, List.of(HELLO), Set.of(), Set.of()));
    fails(ErrorCode.NOT_FOUND, () -> store.content(ann.id(), 999_999));
    fails(ErrorCode.BAD_VALUE, () -> store.addMessages(ann.id(), Folder.INBOX, List.of(HELLO), Set.of("nope"),
        Set.of()));
    assertTrue(store.items(ann.id()).isEmpty());
  }

  @Test
  void aNegativeJournalLimitAndAMissingListenerAreRefused() {
    fails(ErrorCode.BAD_VALUE, () -> store.journal(0, -1));
    fails(ErrorCode.BAD_VALUE, () -> store.addListener(null));
    assertTrue(store.journal(0, 0).isEmpty());
  }

  @Test
  void deletingAnAccountRemovesIt() {
    Account bob = newAccount(store, "bob-" + UUID.randomUUID().toString().substring(0, 8), "example.test");
    store.addMessages(bob.id(), Folder.INBOX, List.of(HELLO), Set.of(), Set.of());
    store.deleteAccount(bob.id());
    assertTrue(store.account(bob.name()).isEmpty());
    assertFalse(store.accounts().stream().anyMatch(a -> a.id().equals(bob.id())));
    fails(ErrorCode.NOT_FOUND, () -> store.items(bob.id()));
  }

  @Test
  void domainsCosesAliasesAndListsAreCheckedKeptAndJournalled() {
    String n = UUID.randomUUID().toString().substring(0, 8);
    long before = store.lastSequence();
    Domain d = store.createDomain("Kept-" + n + ".test");
    assertEquals("kept-" + n + ".test", d.name());
    assertTrue(store.domains().stream().anyMatch(x -> x.name().equals(d.name())));
    fails(ErrorCode.ALREADY_EXISTS, () -> store.createDomain(d.name()));
    Cos gold = store.createCos("gold-" + n, "first notes");
    assertEquals("first notes", store.cos(gold.name()).orElseThrow().notes());
    assertEquals("${ZxBackup_Disabled}", store.setCosNotes(gold.name(), "${ZxBackup_Disabled}").notes());
    assertTrue(store.coses().stream().anyMatch(c -> c.id().equals(gold.id()) && c.notes().startsWith("${")));
    fails(ErrorCode.ALREADY_EXISTS, () -> store.createCos(gold.name(), ""));
    fails(ErrorCode.NOT_FOUND, () -> store.createAccount("x-" + n + "@" + d.name(), "nosuch-" + n, Map.of()));

    Account u = store.createAccount("u-" + n + "@" + d.name(), gold.name(), Map.of());
    assertEquals(gold.name(), u.cos());
    assertEquals(gold.name(), store.account(u.id()).orElseThrow().cos());
    fails(ErrorCode.CONFLICT, () -> store.deleteCos(gold.name()));
    String alias = "alias-" + n + "@" + d.name();
    assertEquals(List.of(alias), store.addAlias(u.id(), alias).aliases());
    assertEquals(u.id(), store.account(alias.toUpperCase()).orElseThrow().id(), "an alias finds its account");
    fails(ErrorCode.ALREADY_EXISTS, () -> store.addAlias(ann.id(), alias));
    fails(ErrorCode.ALREADY_EXISTS, () -> store.addAlias(ann.id(), u.name()));
    fails(ErrorCode.NOT_FOUND, () -> store.addAlias(ann.id(), "a@nowhere-" + n + ".test"));
    fails(ErrorCode.BAD_VALUE, () -> store.addAlias(ann.id(), "not an address"));

    DistributionList list = store.createDistributionList("all-" + n + "@" + d.name(), List.of(u.name(), ann.name()));
    assertEquals(List.of(u.name(), ann.name()), list.members());
    assertTrue(store.distributionLists().contains(list));
    fails(ErrorCode.ALREADY_EXISTS, () -> store.createDistributionList(list.name(), List.of()));
    fails(ErrorCode.CONFLICT, () -> store.deleteDomain(d.name()));

    store.deleteDistributionList(list.name());
    fails(ErrorCode.NOT_FOUND, () -> store.deleteDistributionList(list.name()));
    store.deleteAccount(u.id());
    assertTrue(store.account(alias).isEmpty(), "a deleted account's alias goes with it");
    store.deleteCos(gold.name());
    store.deleteDomain(d.name());
    assertFalse(store.domains().stream().anyMatch(x -> x.name().equals(d.name())));
    assertTrue(store.cos(gold.name()).isEmpty());

    Set<Mutation> provisioning = Set.of(Mutation.DOMAIN_CREATED, Mutation.DOMAIN_DELETED, Mutation.COS_CREATED,
        Mutation.COS_UPDATED, Mutation.COS_DELETED, Mutation.ACCOUNT_CREATED, Mutation.ACCOUNT_DELETED,
        Mutation.ALIAS_ADDED, Mutation.DL_CREATED, Mutation.DL_DELETED);
    assertEquals(List.of(Mutation.DOMAIN_CREATED, Mutation.COS_CREATED, Mutation.COS_UPDATED, Mutation.ACCOUNT_CREATED,
        Mutation.ALIAS_ADDED, Mutation.DL_CREATED, Mutation.DL_DELETED, Mutation.ACCOUNT_DELETED, Mutation.COS_DELETED,
        Mutation.DOMAIN_DELETED), store.journal(before + 1, Integer.MAX_VALUE).stream().map(JournalEntry::type)
        .filter(provisioning::contains).toList());
  }

  @Test
  void grantsAreKeptChangedAndRevokedWhereverTheGranteeLives() {
    Account bob = newAccount(store, "bob-" + UUID.randomUUID().toString().substring(0, 8), "example.test");
    Folder shared = store.createFolder(ann.id(), "/Shared", "message");
    long before = store.lastSequence();
    Grant g = store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rw");
    assertEquals(new Grant(ann.id(), shared.id(), bob.id(), bob.name(), "rw"), g);
    JournalEntry added = only(store.journal(before + 1, 100), Mutation.GRANT_ADDED);
    assertEquals(bob.id(), added.detail().get("granteeId").asText());
    assertEquals(List.of(g), store.grants(ann.id()));
    // Reading the grants again (the imap store diffs the ACLs it reads) journals the grant no second time.
    only(store.journal(before + 1, 100), Mutation.GRANT_ADDED);
    long unchanged = store.lastSequence();
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rw");
    assertEquals(unchanged, store.lastSequence(), "granting what is granted changes nothing");
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "r");
    // A grantee on another server: only its id and address are known here.
    store.grant(ann.id(), shared.id(), "id-on-mbox2", "carol@elsewhere.test", "rwid");
    assertEquals(Set.of(new Grant(ann.id(), shared.id(), bob.id(), bob.name(), "r"),
        new Grant(ann.id(), shared.id(), "id-on-mbox2", "carol@elsewhere.test", "rwid")),
        Set.copyOf(store.grants(ann.id())));
    long revoking = store.lastSequence();
    store.revoke(ann.id(), shared.id(), bob.id());
    assertEquals(List.of(new Grant(ann.id(), shared.id(), "id-on-mbox2", "carol@elsewhere.test", "rwid")),
        store.grants(ann.id()));
    assertEquals(shared.id(), only(store.journal(revoking + 1, 100), Mutation.GRANT_REMOVED).itemId());
    assertEquals(List.of(), store.journal(revoking + 1, 100).stream()
        .filter(e -> e.type() == Mutation.GRANT_ADDED).toList(), "revoking one grantee re-journals no other");
    fails(ErrorCode.NOT_FOUND, () -> store.revoke(ann.id(), shared.id(), bob.id()));
    fails(ErrorCode.BAD_VALUE, () -> store.grant(ann.id(), shared.id(), ann.id(), ann.name(), "r"));
    fails(ErrorCode.BAD_VALUE, () -> store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "r?"));
    fails(ErrorCode.NOT_FOUND, () -> store.grant(ann.id(), 999_999, bob.id(), bob.name(), "r"));
  }

  @Test
  void aMountpointHasItsOwnPlaceAndIsRepointedInIt() {
    Mountpoint target = new Mountpoint("owner-on-mbox2", 300, "owner@elsewhere.test");
    long before = store.lastSequence();
    Folder m = store.mount(ann.id(), "/Shared/Owner", target);
    assertEquals("/Shared/Owner", m.path());
    assertEquals(target, m.mount());
    Folder parent = store.folder(ann.id(), "/Shared").orElseThrow();
    assertEquals(parent.id(), m.parentId());
    assertTrue(m.id() >= Folder.FIRST_USER_ID);
    assertEquals(m.id(), only(store.journal(before + 1, 100), Mutation.MOUNTPOINT_CREATED).itemId());
    assertEquals(m, store.folder(ann.id(), "/Shared/Owner").orElseThrow());
    assertTrue(store.folders(ann.id()).contains(m));
    assertTrue(store.snapshot(ann.id()).folders().contains(m));

    Mountpoint moved = new Mountpoint("owner-on-mbox3", 412, "owner@elsewhere.test");
    Folder repointed = store.repointMountpoint(ann.id(), m.id(), moved);
    assertEquals(new Folder(m.id(), m.parentId(), m.name(), m.path(), m.view(), moved), repointed);
    assertEquals(repointed, store.folder(ann.id(), "/Shared/Owner").orElseThrow());
    long after = store.lastSequence();
    JournalEntry changed = only(store.journal(before + 1, 100), Mutation.MOUNTPOINT_CHANGED);
    assertEquals(m.id(), changed.itemId());
    assertEquals(repointed, store.repointMountpoint(ann.id(), m.id(), moved));
    assertEquals(after, store.lastSequence(), "pointing it where it points changes nothing");

    fails(ErrorCode.CONFLICT, () -> store.repointMountpoint(ann.id(), parent.id(), moved));
    fails(ErrorCode.NOT_FOUND, () -> store.repointMountpoint(ann.id(), 999_999, moved));
    fails(ErrorCode.BAD_VALUE, () -> store.repointMountpoint(ann.id(), m.id(), new Mountpoint(ann.id(), 2, ann.name())));
    fails(ErrorCode.ALREADY_EXISTS, () -> store.mount(ann.id(), "/Shared/Owner", target));
    fails(ErrorCode.BAD_VALUE, () -> store.mount(ann.id(), "/", target));
    fails(ErrorCode.CONFLICT, () -> store.grant(ann.id(), m.id(), "someone", "someone@elsewhere.test", "r"));
    assertEquals(List.of(repointed), store.folders(ann.id()).stream().filter(Folder::isMountpoint).toList());
  }

  protected static JournalEntry only(List<JournalEntry> entries, Mutation type) {
    List<JournalEntry> of = entries.stream().filter(e -> e.type() == type).toList();
    assertEquals(1, of.size(), "one " + type + " in " + entries);
    return of.get(0);
  }

  protected static Set<String> texts(JournalEntry e, String field) {
    Set<String> out = new java.util.TreeSet<>();
    e.detail().path(field).forEach(n -> out.add(n.asText()));
    return out;
  }
}
