package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An id map whose saves after a journal commit were lost (they are not forced) is healed from the
 * journal on load (no Dovecot): every item comes back under its id, where and as the lost saves
 * had it, whether the saves' records are gone (a power loss), torn (a process killed mid-write)
 * or damaged with whole records after them; replaying entries the map holds changes nothing.
 */
class MapHealingTest {
  private static final String ACCOUNT = "acc";

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();
  private ImapJournal journal;
  private Path file;

  @BeforeEach
  void open() throws Exception {
    journal = ImapJournal.open(dir.resolve("journal.log"), clock);
    file = dir.resolve("maps").resolve(ACCOUNT + ".json");
  }

  @AfterEach
  void close() throws Exception {
    journal.close();
  }

  private static MappedItem item(int id, String mailbox, long uid) {
    return new MappedItem(id, 2, mailbox, 7, uid, "xguid-" + id, "d" + id, 100 + id, Set.of(), Set.of(),
        Instant.parse("2026-01-01T00:00:00Z"), "subject " + id, "a@example.test", "b@example.test", 0, null);
  }

  /** What a pass or an edit does for a new message: the entry, then the map (as Reconciler and MailboxEdits). */
  private static void created(ChangeSet c, AccountMap map, MappedItem i) {
    c.add(Mutation.ITEM_CREATED, i.id(), JournalDetails.ItemCreated.of(i),
        e -> map.put(i.withFlags(i.flags(), i.tags(), e.seq(), e.time())));
  }

  /** A map saved whole once (items 7, 8, 9 in INBOX), then changed by two commits appended to its log. */
  private AccountMap threeCommits() {
    AccountMap map = AccountMap.load(file);
    map.journalled(JournalPlace.current(journal));
    ChangeSet a = new ChangeSet(ACCOUNT);
    for (int id = 7; id <= 9; id++) {
      created(a, map, item(id, "inbox-guid", id));
    }
    a.afterJournal(() -> map.mailboxes().put("inbox-guid", new AccountMap.MailboxMark(2, "INBOX", 7, 10)));
    a.commit(journal, map);
    try {
      Files.copy(dir.resolve("journal.log"), dir.resolve("journal-after-first-commit.log"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    otherAccountCommits();

    clock.advance(java.time.Duration.ofMinutes(1));
    ChangeSet b = new ChangeSet(ACCOUNT);
    created(b, map, item(10, "archive-guid", 3));
    MappedItem eight = map.item(8).orElseThrow();
    b.add(Mutation.ITEM_MOVED, 8, new JournalDetails.ItemMoved(2, 3,
        new JournalDetails.Place("archive-guid", 11, 4, eight.messageGuid())),
        e -> map.put(eight.at(3, "archive-guid", 11, 4, e.seq(), e.time())));
    MappedItem nine = map.item(9).orElseThrow();
    b.add(Mutation.ITEM_FLAGS_CHANGED, 9, new JournalDetails.ItemFlags(Set.of("\\Seen")),
        e -> map.put(nine.withFlags(Set.of("\\Seen"), nine.tags(), e.seq(), e.time())));
    MappedItem seven = map.item(7).orElseThrow();
    b.add(Mutation.ITEM_TAGS_CHANGED, 7, new JournalDetails.ItemTags(Set.of("work")),
        e -> map.put(seven.withFlags(seven.flags(), Set.of("work"), e.seq(), e.time())));
    Item restored = new Item(11, 2, ItemType.MESSAGE, 42, "d11", Set.of(), Set.of(), 0, null,
        Instant.parse("2025-05-05T00:00:00Z"), "restored", "r@example.test", "s@example.test");
    b.add(Mutation.ITEM_CREATED, 11, new JournalDetails.ItemCreated(11, 2, ItemType.MESSAGE, 42, "d11", Set.of(),
        Set.of(), "restored", "r@example.test", "s@example.test", restored.receivedAt(), null),
        e -> map.await(new Item(11, 2, ItemType.MESSAGE, 42, "d11", Set.of(), Set.of(), e.seq(), e.time(),
            restored.receivedAt(), "restored", "r@example.test", "s@example.test")));
    b.afterJournal(() -> map.mailboxes().put("inbox-guid", new AccountMap.MailboxMark(2, "INBOX", 7, 14)));
    b.commit(journal, map);
    otherAccountCommits();

    clock.advance(java.time.Duration.ofMinutes(1));
    ChangeSet c = new ChangeSet(ACCOUNT);
    c.add(Mutation.ITEM_DELETED, 9, new JournalDetails.ItemDeleted(2), e -> map.remove(9));
    c.add(Mutation.FOLDER_EMPTIED, 3, new JournalDetails.FolderEmptied(3, List.of(10)), e -> map.remove(10));
    // A message seen only in the lazy_expunge mailbox: created and deleted, never in the map.
    MappedItem expunged = item(12, "lazy-guid", 1);
    map.newId();
    c.add(Mutation.ITEM_CREATED, 12, JournalDetails.ItemCreated.of(expunged), null);
    c.add(Mutation.ITEM_DELETED, 12, new JournalDetails.ItemDeleted(2), null);
    c.afterJournal(() -> map.mailboxes().put("inbox-guid", new AccountMap.MailboxMark(2, "INBOX", 7, 15)));
    c.commit(journal, map);
    return map;
  }

  /**
   * Another account's entries between this one's, naming the same item ids: healing reads this
   * account's entries only.
   */
  private void otherAccountCommits() {
    ChangeSet c = new ChangeSet("other");
    c.add(Mutation.ITEM_CREATED, 8, JournalDetails.ItemCreated.of(item(8, "elsewhere-guid", 99)), null);
    c.add(Mutation.ITEM_MOVED, 7, new JournalDetails.ItemMoved(2, 5,
        new JournalDetails.Place("elsewhere-guid", 1, 100, "xguid-7")), null);
    c.add(Mutation.ITEM_DELETED, 10, new JournalDetails.ItemDeleted(2), null);
    c.add(Mutation.ITEM_DELETED, 11, new JournalDetails.ItemDeleted(2), null);
    c.commit(journal, AccountMap.empty(dir.resolve("maps").resolve("other.json")));
  }

  private Path log() {
    return file.resolveSibling(file.getFileName() + ".log");
  }

  private AccountMap loadAndHeal() {
    AccountMap read = AccountMap.load(file);
    MapHealing.catchUp(read, ACCOUNT, journal, () -> {
      throw new AssertionError("the backup is read only for a journal the map did not follow");
    });
    return read;
  }

  private static void assertSameItems(AccountMap want, AccountMap got) {
    assertEquals(want.items(), got.items(), "every item under its id, where and as it was, with its sequence");
    assertEquals(want.awaiting(), got.awaiting());
    assertEquals(want.journalSeq(), got.journalSeq());
  }

  @Test
  void savesLostAfterTheJournalCommittedAreHealedFromItWithEveryId() throws Exception {
    AccountMap map = threeCommits();
    assertTrue(Files.size(log()) > 0, "the first save wrote the whole map, the next two appended");
    // A power loss took both unforced records: the map is the base, two commits behind the journal.
    Files.write(log(), new byte[0]);
    AccountMap lagging = AccountMap.load(file);
    assertNotEquals(map.items(), lagging.items());
    assertEquals(3, lagging.journalSeq(), "the base names the last entry it holds");

    AccountMap healed = loadAndHeal();
    assertSameItems(map, healed);
    assertEquals(10, healed.mailboxes().get("inbox-guid").highestModSeq(),
        "a mark no entry carries lags: the next pass reads the changes since it again");

    healed.saveAfterJournal();
    assertSameItems(map, AccountMap.load(file));
    AccountMap replayed = AccountMap.load(file);
    replayed.heal(journal.entriesAfter(ACCOUNT, 0));
    assertSameItems(map, replayed);
  }

  @Test
  void aTornRecordOrADamagedOneWithWholeRecordsAfterItIsHealed() throws Exception {
    // The records of both commits are there: nothing to heal.
    AccountMap map = threeCommits();
    byte[] whole = Files.readAllBytes(log());
    assertSameItems(map, loadAndHeal());
    assertTrue(journal.entriesAfter(ACCOUNT, AccountMap.load(file).journalSeq()).isEmpty());

    // A process killed while writing the last record.
    Files.write(log(), java.util.Arrays.copyOf(whole, whole.length - 20));
    assertSameItems(map, loadAndHeal());

    // A power loss that kept the second record but not all of the first: none applied, all healed.
    Files.write(log(), whole);
    try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
      f.seek(30);
      f.write('#');
    }
    AccountMap healed = loadAndHeal();
    assertSameItems(map, healed);
    healed.saveAfterJournal();
    assertEquals(0, Files.size(log()), "the damaged log is replaced by a whole map");
    assertSameItems(map, AccountMap.load(file));
  }

  private void reopenJournal(Path from) throws Exception {
    journal.close();
    Path log = dir.resolve("journal.log");
    if (from == null) {
      Files.delete(log);
    } else {
      Files.move(from, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    journal = ImapJournal.open(log, clock);
  }

  /** Every mailbox's mark kept (its folder id, name and UIDVALIDITY) but for HIGHESTMODSEQ: the next pass reads all. */
  private static void assertComparedInFull(AccountMap before, AccountMap after) {
    assertEquals(before.mailboxes().keySet(), after.mailboxes().keySet());
    after.mailboxes().forEach((k, m) -> {
      AccountMap.MailboxMark was = before.mailboxes().get(k);
      assertEquals(new AccountMap.MailboxMark(was.folderId(), was.name(), was.uidValidity(), 0), m);
    });
  }

  @Test
  void aMapAheadOfAJournalRestoredFromAnOlderCopyKeepsItsMovesAndDeletionsAndIsComparedInFull() throws Exception {
    AccountMap map = threeCommits();
    // The journal is put back as it was after the first commit: item 8 not moved, item 9 not deleted yet.
    reopenJournal(dir.resolve("journal-after-first-commit.log"));
    assertTrue(journal.lastSequence() < map.journalSeq());

    AccountMap read = AccountMap.load(file);
    AccountMap again = AccountMap.load(file);
    MapHealing.catchUp(read, ACCOUNT, journal, List::of);
    assertEquals(map.items(), read.items(), "no older history replayed over the map");
    assertEquals(map.awaiting(), read.awaiting());
    assertComparedInFull(map, read);
    assertEquals(JournalPlace.current(journal), read.journalPlace());
    assertTrue(read.priors().isEmpty(), "the backup knows nothing the map lacks");

    // The restart rewrote the whole map at once, forced, in the journal's history: then healed from it as usual.
    assertEquals(0, Files.size(log()));
    AccountMap reloaded = AccountMap.load(file);
    assertEquals(read.journalPlace(), reloaded.journalPlace());
    assertComparedInFull(map, reloaded);
    assertSameItems(read, loadAndHeal());

    // Other accounts' entries take the journal past the older map's sequence: still another history.
    clock.advance(java.time.Duration.ofMinutes(1));
    while (journal.lastSequence() <= again.journalSeq()) {
      otherAccountCommits();
    }
    MapHealing.catchUp(again, ACCOUNT, journal, List::of);
    assertEquals(map.items(), again.items());
    assertComparedInFull(map, again);
  }

  @Test
  void aPassKilledBeforeItsSaveAfterAJournalRestartIsHealedWithItsIdsAndTheBackupsPriors() throws Exception {
    threeCommits();
    long last = journal.lastSequence();
    reopenJournal(null);
    journal.continueAbove(last);
    List<BackedUpItem> backedUp = List.of(7, 8, 20, 21).stream().map(id -> new BackedUpItem(id, 2, "d" + id,
        Set.of(), Set.of(), id, Instant.parse("2026-01-01T00:00:00Z"))).toList();
    AccountMap restarted = AccountMap.load(file);
    MapHealing.catchUp(restarted, ACCOUNT, journal, () -> backedUp);
    assertEquals(List.of(20, 21), restarted.priors().stream().map(BackedUpItem::id).toList());

    // The first pass journals a new message (fresh id), prior 20 found again and prior 21 gone;
    // the process is killed before the pass's save: the journal holds the entries, the map does not.
    clock.advance(java.time.Duration.ofMinutes(1));
    int fresh = restarted.newId();
    ChangeSet pass = new ChangeSet(ACCOUNT);
    created(pass, restarted, item(fresh, "inbox-guid", 40));
    created(pass, restarted, item(20, "inbox-guid", 41));
    pass.add(Mutation.ITEM_DELETED, 21, new JournalDetails.ItemDeleted(2), null);
    pass.afterJournal(restarted::priorsMatched);
    journal.commit(List.of(new ImapJournal.Change(Mutation.ITEM_CREATED, ACCOUNT, fresh,
        JournalDetails.ItemCreated.of(item(fresh, "inbox-guid", 40))),
        new ImapJournal.Change(Mutation.ITEM_CREATED, ACCOUNT, 20, JournalDetails.ItemCreated.of(item(20, "inbox-guid",
            41))),
        new ImapJournal.Change(Mutation.ITEM_DELETED, ACCOUNT, 21, new JournalDetails.ItemDeleted(2))));

    AccountMap reloaded = loadAndHeal();
    assertTrue(reloaded.item(fresh).isPresent(), "the new message keeps the id its entry gave it");
    assertTrue(reloaded.item(20).isPresent());
    assertTrue(reloaded.priors().isEmpty(), "a prior mapped or deleted by a healed entry is matched");
    assertTrue(reloaded.newId() > fresh);
    assertComparedInFull(restarted, reloaded);

    // The pass that saves clears the priors on disk too.
    pass.commit(journal, restarted);
    assertTrue(AccountMap.load(file).priors().isEmpty());
    assertEquals(0, Files.size(log()), "the priors are dropped by a rewrite");
  }

  /**
   * A place with no entry (a map restarted at a lost journal continued above the backup's
   * positions) is in that journal only while the journal goes on from it: lost a second time and
   * continued higher, the entries written after it are gone and the map must restart again.
   */
  @Test
  void anEntrylessPlaceIsOnlyInAJournalThatGoesOnFromIt() throws Exception {
    threeCommits();
    long last = journal.lastSequence();
    reopenJournal(null);
    journal.continueAbove(last);
    JournalPlace place = JournalPlace.current(journal);
    assertEquals(new JournalPlace(last, null), place);
    assertTrue(place.in(journal), "the journal is still exactly there");

    clock.advance(java.time.Duration.ofMinutes(1));
    journal.commit(List.of(new ImapJournal.Change(Mutation.ITEM_DELETED, ACCOUNT, 7, new JournalDetails.ItemDeleted(2))));
    assertTrue(place.in(journal), "its first entry follows the place");

    reopenJournal(null);
    journal.continueAbove(last + 5);
    assertFalse(place.in(journal), "lost again and continued higher: the entry after the place is gone");
    clock.advance(java.time.Duration.ofMinutes(1));
    journal.commit(List.of(new ImapJournal.Change(Mutation.ITEM_DELETED, ACCOUNT, 8, new JournalDetails.ItemDeleted(2))));
    assertFalse(place.in(journal));
  }

  @Test
  void aPlaceholdersIdIsForcedToDiskBeforeTheJournalNamesItAsAParent() throws Exception {
    AccountMap map = threeCommits();
    long before = Files.size(log());
    // A pass finds \Noselect Parent (an id in the map only) and journals its child under it.
    int parent = map.newId();
    map.mailboxes().put("name:Parent", new AccountMap.MailboxMark(parent, "Parent", 0, 0));
    int child = map.newId();
    map.mailboxes().put("child-guid", new AccountMap.MailboxMark(child, "Parent/Child", 0, 0));
    ChangeSet c = new ChangeSet(ACCOUNT);
    c.add(Mutation.FOLDER_CREATED, child, new JournalDetails.FolderCreated(child, parent, "Child", "message"), null);
    c.commit(journal, map);
    List<String> records = Files.readAllLines(log());
    String forced = records.get(records.size() - 2);
    assertTrue(forced.contains("name:Parent") && forced.contains("\"forced\":true"),
        "the placeholder's mark is forced before the journal commit: " + forced);

    // A power loss takes the commit's own (unforced) record: the placeholder keeps its id.
    try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
      f.setLength(Files.size(log()) - records.get(records.size() - 1).length() - 1);
    }
    assertTrue(Files.size(log()) > before);
    AccountMap read = loadAndHeal();
    assertEquals(parent, read.mailboxes().get("name:Parent").folderId());

    // Marks the disk holds already are not forced again.
    map.mailboxes().put("inbox-guid", new AccountMap.MailboxMark(2, "INBOX", 7, 16));
    ChangeSet d = new ChangeSet(ACCOUNT);
    d.add(Mutation.ITEM_DELETED, 8, new JournalDetails.ItemDeleted(2), e -> map.remove(8));
    d.commit(journal, map);
    assertTrue(Files.readAllLines(log()).get(Files.readAllLines(log()).size() - 1).contains("\"forced\":false"));
  }

  @Test
  void aLostJournalAndLostMapRecordsKeepTheBackupsIds() throws Exception {
    AccountMap map = threeCommits();
    long last = journal.lastSequence();
    Files.write(log(), new byte[0]);
    reopenJournal(null);
    journal.continueAbove(last); // what BackupIds.recover does for a lost journal
    List<BackedUpItem> backedUp = List.of(7, 8, 9, 10).stream().map(id -> new BackedUpItem(id, 2, "d" + id, Set.of(),
        Set.of(), id, Instant.parse("2026-01-01T00:00:00Z"))).toList();

    AccountMap read = AccountMap.load(file);
    assertEquals(3, read.items().size(), "the records after the base were lost: items 7, 8, 9 as first created");
    MapHealing.catchUp(read, ACCOUNT, journal, () -> backedUp);
    assertEquals(List.of(10), read.priors().stream().map(BackedUpItem::id).toList(),
        "the item the map lost takes its backed-up id when the next pass finds its digest");
    assertComparedInFull(AccountMap.load(file), read);
    assertTrue(read.newId() > 10);
  }

  @Test
  void aDamagedRecordKeepsTheRecordsBeforeItAndIsFatalWhenAForcedRecordFollows() throws Exception {
    AccountMap map = threeCommits();
    // A third record the journal does not hold (a mark only), not forced; then a fourth, forced.
    map.mailboxes().put("archive-guid", new AccountMap.MailboxMark(3, "Archive", 11, 5));
    map.saveAfterJournal();
    byte[] unforced = Files.readAllBytes(log());
    map.mailboxes().put("archive-guid", new AccountMap.MailboxMark(3, "Archive", 11, 6));
    map.save();
    byte[] forced = Files.readAllBytes(log());
    List<String> lines = Files.readAllLines(log());
    assertEquals(4, lines.size());
    int second = lines.get(0).length() + 1;

    unforced[second + 10] = '#';
    Files.write(log(), unforced);
    AccountMap healed = loadAndHeal();
    assertSameItems(map, healed);
    assertEquals(14, healed.mailboxes().get("inbox-guid").highestModSeq(),
        "the first record, before the damage, is applied");
    assertEquals(null, healed.mailboxes().get("archive-guid"), "the record after the damage is not");

    // The same damage with a forced record after it is media damage: refused, naming the files and the fix.
    forced[second + 10] = '#';
    Files.write(log(), forced);
    io.storefleet.protocol.error.StorefleetException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.storefleet.protocol.error.StorefleetException.class, () -> AccountMap.load(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("move both away"), e.getMessage());
  }
}
