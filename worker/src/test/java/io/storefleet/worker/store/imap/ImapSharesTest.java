package io.storefleet.worker.store.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.ScanView;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import jakarta.mail.Store;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.angus.mail.imap.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shares on Dovecot as IMAP sees them: the ACL entries a grant writes, entries storefleet cannot
 * represent left alone, the re-grant a share fix makes, ids kept on the server, and a grantee
 * opening the folder through Dovecot's shared namespace. The behaviour both stores share is in
 * {@link io.storefleet.worker.store.MailStoreContract}.
 */
class ImapSharesTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;
  private ImapMailStore store;
  private ImapConnections otherClient;
  private Account ann;
  private Account bob;
  private Folder shared;

  @BeforeEach
  void open() throws Exception {
    store = open(dir.resolve("store"));
    ImapStoreConfig c = ImapSessionTest.config(DOVECOT.server(), 2);
    otherClient = new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()));
    String tag = UUID.randomUUID().toString().substring(0, 8);
    ann = store.createAccount("ann-" + tag + "@example.test", null, Map.of());
    bob = store.createAccount("bob-" + tag + "@example.test", null, Map.of());
    shared = store.createFolder(ann.id(), "/Shared", "message");
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private static ImapMailStore open(Path where) throws Exception {
    return ImapMailStore.open(ImapSessionTest.config(DOVECOT.server(), 2), where, MutableClock.atEpoch2026());
  }

  private Map<String, String> acl(String user, String mailbox) {
    Map<String, String> out = new TreeMap<>();
    for (ACL a : otherClient.call(user, s -> s.acl(mailbox))) {
      out.put(a.getName(), sorted(a.getRights().toString()));
    }
    out.remove(user);
    return out;
  }

  private static String sorted(String letters) {
    char[] c = letters.toCharArray();
    Arrays.sort(c);
    return new String(c);
  }

  @Test
  void rightsMapToAclLettersBothWaysAndWhatImapLacksIsKeptBeside() {
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rwidxac");
    // Dovecot adds RFC 2086's c and d to what it reports.
    assertEquals(Map.of(bob.name(), sorted("lrswitexakcd")), acl(ann.name(), "Shared"));
    assertEquals("rwidxac", store.grants(ann.id()).get(0).rights());
    long granted = store.lastSequence();
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rwidxac");
    assertEquals(granted, store.lastSequence(), "the c and d Dovecot reports are no change");
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rpf");
    assertEquals(Map.of(bob.name(), sorted("lrs")), acl(ann.name(), "Shared"));
    assertEquals(List.of(new Grant(ann.id(), shared.id(), bob.id(), bob.name(), "rpf")), store.grants(ann.id()));
    assertEquals("rwidxac", AclRights.fromImap("lrswitexakcd", ""));
    assertEquals("lrsp", AclRights.merge("lrswitexakcdp", "r"), "only p is kept from the old entry");
    assertEquals("d", AclRights.fromImap("t", ""), "either of t and e is delete");
    assertEquals("", AclRights.fromImap("ls", ""), "lookup without read is no storefleet right");
  }

  @Test
  void entriesStorefleetCannotRepresentAreNeverTouched() {
    otherClient.call(ann.name(), s -> {
      s.setAcl("Shared", "anyone", "lr");
      s.setAcl("Shared", "-" + bob.name(), "w");
      s.setAcl("Shared", "$team", "lrs");
      s.setAcl("Shared", bob.name(), "lrsp");
      return null;
    });
    Map<String, String> theirs = Map.of("anyone", "lr", "-" + bob.name(), "w", "$team", sorted("lrs"));
    // Only bob's entry is a grant; his IMAP right p (post) has no storefleet letter and stays.
    assertEquals(List.of(new Grant(ann.id(), shared.id(), bob.id(), bob.name(), "r")), store.grants(ann.id()));
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rw");
    Map<String, String> expected = new TreeMap<>(theirs);
    expected.put(bob.name(), sorted("lrswp"));
    assertEquals(expected, acl(ann.name(), "Shared"));
    store.revoke(ann.id(), shared.id(), bob.id());
    assertEquals(new TreeMap<>(theirs), acl(ann.name(), "Shared"));
    assertTrue(store.grants(ann.id()).isEmpty());
  }

  @Test
  void aFixesReGrantToTheSameAddressUnderANewIdKeepsTheEntry() throws Exception {
    // As after an import: the grant names bob's old id; the fix grants the new id, then revokes the old.
    store.grant(ann.id(), shared.id(), "old-id-of-bob", bob.name(), "rw");
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "rw");
    assertEquals(Set.of("old-id-of-bob", bob.id()),
        Set.copyOf(store.grants(ann.id()).stream().map(Grant::granteeId).toList()));
    store.revoke(ann.id(), shared.id(), "old-id-of-bob");
    assertEquals(List.of(new Grant(ann.id(), shared.id(), bob.id(), bob.name(), "rw")), store.grants(ann.id()));
    assertEquals(Map.of(bob.name(), sorted("lrsw")), acl(ann.name(), "Shared"));
    // The ids are on the server, beside the ACL: a worker that lost its disk reads the same grant.
    try (ImapMailStore fresh = open(dir.resolve("fresh"))) {
      assertEquals(store.grants(ann.id()), fresh.grants(ann.id()));
    }
  }

  /**
   * A scan's pass may take the account's folders from its last full read when the sweep shows
   * the same mailboxes (ListedFolders); a mountpoint lives in METADATA, which the sweep does not
   * show, so the call that wrote it must make the next pass read the folders again.
   */
  @Test
  void aMountpointMadeBetweenTwoScansIsInTheNextScansSnapshot() {
    ScanView view = store.scanView();
    ScanView.ContentSink ignore = (digest, content) -> { };
    byte[] mail = "From: x@example.test\r\nSubject: new\r\n\r\nhi\r\n".getBytes(UTF_8);
    // The grant first: were ann's shared mailbox in bob's sweep, the grant alone would send the pass to the list.
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "r");
    // Other clients' changes, so that each sweep shows bob changed and each scan passes him.
    otherClient.call(bob.name(), s -> s.append("INBOX", mail, new jakarta.mail.Flags(), null));
    Runnable end = view.begin();
    view.lastChange(bob.id(), ignore);
    end.run();
    otherClient.call(bob.name(), s -> s.append("INBOX", mail, new jakarta.mail.Flags(), null));
    ImapTraffic.Counts reused = store.traffic();
    end = view.begin();
    view.lastChange(bob.id(), ignore);
    end.run();
    assertEquals(0, store.traffic().since(reused).lists(), "without the mountpoint the pass takes the last read");
    Folder m = store.mount(bob.id(), "/Ann's", new Mountpoint(ann.id(), shared.id(), ann.name()));
    otherClient.call(bob.name(), s -> s.append("INBOX", mail, new jakarta.mail.Flags(), null));
    ImapTraffic.Counts before = store.traffic();
    end = view.begin();
    try {
      view.lastChange(bob.id(), ignore);
      assertTrue(view.snapshot(bob.id(), ignore).folders().contains(m), "the mountpoint, as the store made it");
    } finally {
      end.run();
    }
    assertEquals(1, store.traffic().since(before).lists(), "the pass read the folders again");
  }

  @Test
  void aDeletedAccountLeavesNoGrantOrMountpointToAUserCreatedUnderItsName() {
    store.grant(bob.id(), Folder.INBOX, ann.id(), ann.name(), "r");
    store.mount(bob.id(), "/Ann's", new Mountpoint(ann.id(), shared.id(), ann.name()));
    store.deleteAccount(bob.id());
    Account again = store.createAccount(bob.name(), null, Map.of());
    assertTrue(store.grants(again.id()).isEmpty());
    assertTrue(store.folders(again.id()).stream().noneMatch(Folder::isMountpoint));
    assertTrue(acl(bob.name(), "INBOX").isEmpty());
  }

  @Test
  void mountpointsAreOnTheServerAndTheGranteeOpensTheFolderThroughTheSharedNamespace() throws Exception {
    store.addMessages(ann.id(), shared.id(), List.of(("From: ann@example.test\r\nSubject: for bob\r\n\r\nhi\r\n")
        .getBytes(UTF_8)), Set.of(), Set.of());
    store.grant(ann.id(), shared.id(), bob.id(), bob.name(), "r");
    Folder m = store.mount(bob.id(), "/Ann's", new Mountpoint(ann.id(), shared.id(), ann.name()));
    try (ImapMailStore fresh = open(dir.resolve("fresh"))) {
      assertEquals(m, fresh.folder(bob.id(), "/Ann's").orElseThrow());
      Folder next = fresh.createFolder(bob.id(), "/Later", "message");
      assertTrue(next.id() > m.id(), "a mountpoint's id is never given again");
    }
    // Dovecot shows the owner's folder itself to the grantee; the mountpoint record is storefleet's view of it.
    DOVECOT.server().setPassword(bob.name(), "bob-pw");
    Store client = DOVECOT.server().login(bob.name(), "bob-pw");
    try {
      jakarta.mail.Folder f = client.getFolder("shared/" + ann.name() + "/Shared");
      f.open(jakarta.mail.Folder.READ_ONLY);
      assertEquals("for bob", f.getMessage(1).getSubject());
      f.close();
    } finally {
      client.close();
    }
    assertTrue(store.items(bob.id()).isEmpty(), "the shared namespace is never the grantee's own mail");
  }
}
