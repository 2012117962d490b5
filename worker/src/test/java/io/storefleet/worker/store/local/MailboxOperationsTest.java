package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.local.ProvisioningTest.fails;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxOperationsTest {
  static final byte[] HELLO =
      "From: Ann <ann@example.org>\r\nTo: john@example.com\r\nCc: bob@example.com\r\nSubject: Hello\r\n\r\nHi!\r\n"
          .getBytes(UTF_8);

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();
  private LocalMailStore store;
  private Account john;

  @BeforeEach
  void open() throws Exception {
    store = LocalMailStore.open(dir, clock);
    store.createDomain("example.com");
    john = store.createAccount("john@example.com", null, Map.of());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void createsFoldersWithParentsAndFindsThemCaseInsensitively() {
    Folder projects = store.createFolder(john.id(), "/Inbox/Projects/2026", "message");
    assertEquals(258, projects.id());
    assertEquals("/Inbox/Projects/2026", projects.path());
    Folder parent = store.folder(john.id(), "/inbox/PROJECTS").orElseThrow();
    assertEquals(257, parent.id());
    assertEquals(Folder.INBOX, parent.parentId());
    assertEquals(parent.id(), projects.parentId());
    assertEquals(projects, store.createFolder(john.id(), "/INBOX/projects/2026", null));
    assertEquals(projects, store.folder(john.id(), "Inbox/Projects/2026/").orElseThrow());
    assertEquals("contact", store.createFolder(john.id(), "/Friends", "contact").view());
    fails(ErrorCode.BAD_VALUE, "folder view 'video' is unknown", () -> store.createFolder(john.id(), "/X", "video"));
    fails(ErrorCode.BAD_VALUE, "has an empty or invalid name", () -> store.createFolder(john.id(), "/a//b", null));
  }

  @Test
  void addsMessagesWithHeaderSummaryAndExactContent() {
    Instant at = clock.advance(Duration.ofMinutes(5));
    List<Item> added = store.addMessages(john.id(), Folder.INBOX, List.of(HELLO, "x".getBytes(UTF_8)),
        Set.of("seen"), Set.of("work"));
    Item first = added.get(0);
    assertEquals(257, first.id());
    assertEquals(258, added.get(1).id());
    assertEquals(ItemType.MESSAGE, first.type());
    assertEquals("Hello", first.subject());
    assertEquals("Ann <ann@example.org>", first.from());
    assertEquals("john@example.com, bob@example.com", first.to());
    assertEquals(HELLO.length, first.size());
    assertEquals(BlobFiles.digest(HELLO), first.digest());
    assertEquals(Set.of("seen"), first.flags());
    assertEquals(Set.of("work"), first.tags());
    assertEquals(at, first.receivedAt());
    assertEquals(at, first.modifiedAt());
    assertEquals(store.lastSequence() - 1, first.modSeq());
    assertArrayEquals(HELLO, store.content(john.id(), first.id()));
    assertEquals(added, store.items(john.id(), Folder.INBOX));

    Item doc = store.addItem(john.id(), Folder.BRIEFCASE, ItemType.DOCUMENT, new byte[] {0, 1, 2}, "notes.bin");
    assertEquals(259, doc.id());
    assertEquals("notes.bin", doc.subject());
    assertEquals("", doc.from());
    assertEquals(List.of(doc), store.items(john.id(), Folder.BRIEFCASE));
    assertEquals(3, store.items(john.id()).size());
  }

  @Test
  void movesFlagsTagsAndDeletesItems() {
    Item i = store.addMessages(john.id(), Folder.INBOX, List.of(HELLO), Set.of(), Set.of()).get(0);
    Instant later = clock.advance(Duration.ofHours(1));
    Item moved = store.moveItem(john.id(), i.id(), Folder.TRASH);
    assertEquals(Folder.TRASH, moved.folderId());
    assertEquals(later, moved.modifiedAt());
    assertEquals(i.receivedAt(), moved.receivedAt());
    assertEquals(store.lastSequence(), moved.modSeq());

    Item flagged = store.setFlags(john.id(), i.id(), Set.of("Seen", "flagged"));
    assertEquals(Set.of("seen", "flagged"), flagged.flags());
    Item tagged = store.setTags(john.id(), i.id(), Set.of("a", "b"));
    assertEquals(Set.of("a", "b"), tagged.tags());
    long seq = store.lastSequence();
    assertEquals(tagged, store.setTags(john.id(), i.id(), Set.of("b", "a")));
    assertEquals(tagged, store.moveItem(john.id(), i.id(), Folder.TRASH));
    assertEquals(seq, store.lastSequence(), "setting what is there is no change");

    fails(ErrorCode.BAD_VALUE, "flag 'urgent' is unknown; the flags are seen, answered, flagged, draft, deleted",
        () -> store.setFlags(john.id(), i.id(), Set.of("urgent")));
    fails(ErrorCode.NOT_FOUND, "folder 999 not found in mailbox john@example.com",
        () -> store.moveItem(john.id(), i.id(), 999));
    store.deleteItem(john.id(), i.id());
    assertTrue(store.item(john.id(), i.id()).isEmpty());
    fails(ErrorCode.NOT_FOUND, "item 257 not found in mailbox john@example.com; list its items with"
        + " 'storefleet admin listItems john@example.com'", () -> store.content(john.id(), i.id()));
  }

  @Test
  void emptiesOneFolderButNotItsSubfolders() {
    Folder sub = store.createFolder(john.id(), "/Inbox/Sub", null);
    store.addMessages(john.id(), Folder.INBOX, List.of(HELLO, HELLO), Set.of(), Set.of());
    store.addMessages(john.id(), sub.id(), List.of(HELLO), Set.of(), Set.of());
    assertEquals(2, store.emptyFolder(john.id(), Folder.INBOX));
    assertEquals(0, store.emptyFolder(john.id(), Folder.INBOX));
    assertEquals(1, store.items(john.id()).size());
    JournalEntry last = store.journal(store.lastSequence(), 1).get(0);
    assertEquals("FOLDER_EMPTIED", last.type().name());
    List<Integer> ids = new ArrayList<>();
    last.detail().get("itemIds").forEach(n -> ids.add(n.asInt()));
    assertEquals(List.of(258, 259), ids);
  }

  @Test
  void grantsAndMountsAcrossServers() {
    Folder shared = store.createFolder(john.id(), "/Inbox/Shared", null);
    Grant g = store.grant(john.id(), shared.id(), "remote-id-1", "Alice@Other.org", "r");
    assertEquals(new Grant(john.id(), shared.id(), "remote-id-1", "alice@other.org", "r"), g);
    assertEquals("rw", store.grant(john.id(), shared.id(), "remote-id-1", "alice@other.org", "rw").rights());
    assertEquals(List.of(new Grant(john.id(), shared.id(), "remote-id-1", "alice@other.org", "rw")), store.grants(john.id()));
    fails(ErrorCode.BAD_VALUE, "rights 'rz' are invalid", () -> store.grant(john.id(), shared.id(), "x", "a@b.c", "rz"));
    fails(ErrorCode.NOT_FOUND, "folder 4242 not found", () -> store.grant(john.id(), 4242, "x", "a@b.c", "r"));

    Mountpoint target = new Mountpoint("remote-owner", 300, "bob@other.org");
    Folder m = store.mount(john.id(), "/Shares/Bob/Projects", target);
    assertEquals(target, m.mount());
    assertEquals("/Shares/Bob/Projects", m.path());
    assertTrue(store.folder(john.id(), "/Shares/Bob").isPresent());
    fails(ErrorCode.CONFLICT, "is a mountpoint of bob@other.org's folder 300; only its owner can share it",
        () -> store.grant(john.id(), m.id(), "x", "a@b.c", "r"));
    fails(ErrorCode.ALREADY_EXISTS, "folder /Shares/Bob/Projects (id " + m.id() + ") of john@example.com already exists",
        () -> store.mount(john.id(), "/shares/bob/projects", target));
    fails(ErrorCode.CONFLICT, "is a mountpoint",
        () -> store.addMessages(john.id(), m.id(), List.of(HELLO), Set.of(), Set.of()));
    fails(ErrorCode.CONFLICT, "folders cannot be created inside it",
        () -> store.createFolder(john.id(), "/Shares/Bob/Projects/Sub", null));

    store.revoke(john.id(), shared.id(), "remote-id-1");
    assertTrue(store.grants(john.id()).isEmpty());
    fails(ErrorCode.NOT_FOUND, "has no grant to account remote-id-1", () -> store.revoke(john.id(), shared.id(), "remote-id-1"));
  }

  @Test
  void mountOfALocalOwnerTakesItsFolderView() {
    Account ann = store.createAccount("ann@example.com", null, Map.of());
    Folder m = store.mount(john.id(), "/Ann's Calendar", new Mountpoint(ann.id(), Folder.CALENDAR, "ann@example.com"));
    assertEquals("appointment", m.view());
  }

  @Test
  void listenersSeeEachCommittedEntryInOrder() {
    List<JournalEntry> seen = new ArrayList<>();
    List<Long> lastSeqWhenCalled = new ArrayList<>();
    store.addListener(e -> {
      seen.add(e);
      lastSeqWhenCalled.add(store.lastSequence());
    });
    store.addListener(e -> {
      throw new IllegalStateException("a broken listener must not stop the others");
    });
    long start = store.lastSequence();
    // The broken listener's warning is expected here: keep it out of the build output.
    java.util.logging.Logger journalLog = java.util.logging.Logger.getLogger(Journal.class.getName());
    journalLog.setLevel(java.util.logging.Level.OFF);
    try {
      store.addMessages(john.id(), Folder.INBOX, List.of(HELLO, HELLO, HELLO), Set.of(), Set.of());
      store.createFolder(john.id(), "/A/B", null);
    } finally {
      journalLog.setLevel(null);
    }
    assertEquals(5, seen.size());
    assertEquals(store.journal(start + 1, 100), seen);
    assertEquals(List.of(start + 3, start + 3, start + 3, start + 5, start + 5), lastSeqWhenCalled);
  }

  @Test
  void lastChangeFollowsTheAccount() {
    Account ann = store.createAccount("ann@example.com", null, Map.of());
    long annCreated = store.lastSequence();
    store.addMessages(john.id(), Folder.INBOX, List.of(HELLO), Set.of(), Set.of());
    assertEquals(store.lastSequence(), store.lastChange(john.id()));
    assertEquals(store.lastSequence(), store.lastChange("john@example.com"));
    assertEquals(annCreated, store.lastChange(ann.id()));
    store.createDomain("other.org");
    assertEquals(annCreated, store.lastChange(ann.id()));
    store.deleteAccount(ann.id());
    assertEquals(store.lastSequence(), store.lastChange(ann.id()));
    assertEquals(0, store.lastChange("nobody"));
  }
}
