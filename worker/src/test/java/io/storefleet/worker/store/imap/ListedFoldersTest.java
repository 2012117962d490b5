package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A scan's pass takes an account's folders from the last full read only when the sweep shows
 * exactly its mailboxes: every create, rename, delete (or delete and create under the same name)
 * the sweep shows sends the pass back to LIST-STATUS, as do a call that may have changed the
 * folders and the read's age.
 */
class ListedFoldersTest {
  private static final String ID = "acc-1";
  private final MutableClock clock = MutableClock.atEpoch2026();
  private final ListedFolders listed = new ListedFolders(clock);

  private static MappedFolder mailbox(int id, String name, String guid, long modSeq) {
    return new MappedFolder(new Folder(id, Folder.ROOT, name, "/" + name, "message", null),
        new MailboxStatus(name, '/', Set.of(), true, 7, modSeq, guid));
  }

  private static DoveadmClient.SweptMailbox swept(String name, String guid, long uidValidity, long modSeq) {
    return new DoveadmClient.SweptMailbox("u@example.test", name, guid, uidValidity, modSeq, 3);
  }

  private final MappedFolder mount = new MappedFolder(new Folder(40, Folder.ROOT, "Shared", "/Shared", "message",
      new Mountpoint("acc-2", 2, "o@example.test")), null);
  private final MappedFolder placeholder = new MappedFolder(new Folder(41, Folder.ROOT, "Old", "/Old", "message",
      null), new MailboxStatus("Old", '/', Set.of("\\Noselect"), false, 0, 0, ""));
  private final List<MappedFolder> read = List.of(FolderMapping.root(), mailbox(Folder.INBOX, "INBOX", "g-in", 10),
      mailbox(30, "Archive", "g-ar", 20), placeholder, mount);

  @Test
  void theSameMailboxesGiveTheLastReadWithTheSweptStatuses() {
    listed.read(ID, read);
    List<MappedFolder> reused = listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 12), swept("Archive", "g-ar", 8,
        20))).orElseThrow();
    assertEquals(read.size(), reused.size());
    assertEquals(read.stream().map(MappedFolder::folder).toList(), reused.stream().map(MappedFolder::folder).toList(),
        "the same folders, the mountpoint and the placeholder included");
    MailboxStatus inbox = reused.get(1).mailbox();
    assertEquals(List.of(7L, 12L), List.of(inbox.uidValidity(), inbox.highestModSeq()), "the sweep's status");
    MailboxStatus archive = reused.get(2).mailbox();
    assertEquals(List.of(8L, 20L), List.of(archive.uidValidity(), archive.highestModSeq()), "a new UIDVALIDITY too");
    assertEquals(placeholder, reused.get(3));
  }

  @Test
  void aCreatedRenamedOrDeletedMailboxSendsThePassBackToTheList() {
    listed.read(ID, read);
    assertTrue(listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 10), swept("Archive", "g-ar", 7, 20),
        swept("New", "g-new", 1, 1))).isEmpty(), "created");
    assertTrue(listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 10), swept("Done", "g-ar", 7, 21))).isEmpty(),
        "renamed");
    assertTrue(listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 10))).isEmpty(), "deleted");
    assertTrue(listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 10), swept("Archive", "g-other", 1, 1))).isEmpty(),
        "deleted and created again under the same name");
    assertTrue(listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 10), swept("Archive", "g-ar", 7, 20),
        swept("Archive", "g-ar", 7, 20))).isEmpty(), "a sweep naming a mailbox twice is not trusted");
    assertTrue(listed.reuse(ID, List.of(swept("INBOX", "g-in", 7, 10), swept("Archive", "g-ar", 7, 20),
        swept("Odd", "", 7, 20))).isEmpty(), "nor one listing a mailbox without a GUID");
  }

  @Test
  void aCallThatMayChangeTheFoldersOrAnOldReadSendsThePassBackToTheList() {
    List<DoveadmClient.SweptMailbox> same = List.of(swept("INBOX", "g-in", 7, 10), swept("Archive", "g-ar", 7, 20));
    assertTrue(listed.reuse(ID, same).isEmpty(), "never read");
    listed.read(ID, read);
    listed.drop(ID);
    assertTrue(listed.reuse(ID, same).isEmpty(), "dropped");
    listed.read(ID, read);
    clock.advance(ListedFolders.MAX_AGE.minus(Duration.ofSeconds(1)));
    assertTrue(listed.reuse(ID, same).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(listed.reuse(ID, same).isEmpty(), "too old");
  }
}
