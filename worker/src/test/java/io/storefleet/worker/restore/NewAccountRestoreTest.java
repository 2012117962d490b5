package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.Mountpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doRestoreOnNewAccount and doRestoreDeletedAccount: a whole account as it was, into a new one. */
class NewAccountRestoreTest {
  @TempDir Path dir;
  RestoreFixture f;
  Account ann;

  @BeforeEach
  void open() throws Exception {
    f = new RestoreFixture(dir);
    f.local.createDomain("example.com");
    ann = f.account("ann@example.com");
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static String date(Instant t) {
    return io.storefleet.protocol.parse.DateArg.FORMAT.format(t.atZone(java.time.ZoneOffset.UTC).toLocalDateTime());
  }

  private Account restored(String name) {
    return f.local.account(name).orElseThrow();
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + "\n" + OperationText.stats(op.stats()));
  }

  @Test
  void theAccountComesBackExactlyAsItWasAtEachInstant() throws Exception {
    f.clock.set(Instant.parse("2026-03-01T09:00:00Z"));
    Folder projects = f.local.createFolder(ann.id(), "/Inbox/Projects", "message");
    List<Item> first = f.deliver(ann, "welcome", "agenda", "minutes");
    f.deliver(ann, projects.id(), "plan");
    f.local.setFlags(ann.id(), first.get(0).id(), Set.of("seen"));
    f.local.setTags(ann.id(), first.get(1).id(), Set.of("work"));
    Folder contacts = f.local.folder(ann.id(), "/Contacts").orElseThrow();
    f.local.addItem(ann.id(), contacts.id(), ItemType.CONTACT, "BEGIN:VCARD\nFN:Bob\nEND:VCARD\n".getBytes(StandardCharsets.UTF_8), "Bob");
    f.record();
    Instant t1 = f.clock.instant();
    MailboxView atT1 = MailboxView.of(f.local, ann.id());

    f.clock.set(Instant.parse("2026-03-01T10:00:00Z"));
    f.local.moveItem(ann.id(), first.get(2).id(), projects.id());
    f.local.setFlags(ann.id(), first.get(1).id(), Set.of("flagged", "answered"));
    f.local.setTags(ann.id(), first.get(0).id(), Set.of("later", "work"));
    f.local.deleteItem(ann.id(), first.get(0).id());
    Folder archive = f.local.createFolder(ann.id(), "/Archive/2025", "message");
    f.deliver(ann, archive.id(), "old news", "older news");
    f.record();
    Instant t2 = f.clock.instant();
    MailboxView atT2 = MailboxView.of(f.local, ann.id());

    f.clock.set(Instant.parse("2026-03-01T11:00:00Z"));
    f.local.emptyFolder(ann.id(), projects.id());
    f.deliver(ann, "after the emptying");
    f.record();
    MailboxView atT3 = MailboxView.of(f.local, ann.id());

    f.clock.set(Instant.parse("2026-03-01T12:00:00Z"));
    assertNotEquals(atT1, atT2);
    assertNotEquals(atT2, atT3);

    Operation r1 = f.run("doRestoreOnNewAccount", "ann@example.com", "ann1@example.com", date(t1));
    assertSucceeded(r1);
    assertEquals(atT1, MailboxView.of(f.local, restored("ann1@example.com").id()));
    assertEquals(atT1.itemCount(), r1.stats().counter("restored"));
    assertEquals(0, r1.stats().counter("skipped"));
    assertEquals(1, r1.stats().counter("accountScans"), "the emptied folder left the backup uncertain: scan first");
    assertTrue(r1.stats().verdict().contains("verified against the backup"), r1.stats().verdict());

    Operation r2 = f.run("doRestoreOnNewAccount", "ann@example.com", "ann2@example.com", date(t2));
    assertSucceeded(r2);
    assertEquals(atT2, MailboxView.of(f.local, restored("ann2@example.com").id()));
    assertEquals(0, r2.stats().counter("accountScans"), "the first restore's scan made the backup certain again");

    Operation r3 = f.run("doRestoreOnNewAccount", "ann@example.com", "ann3@example.com", "last");
    assertSucceeded(r3);
    assertEquals(atT3, MailboxView.of(f.local, restored("ann3@example.com").id()));
    assertEquals(MailboxView.of(f.local, ann.id()), atT3, "the source is not changed in any way");
  }

  @Test
  void preferencesAreCopiedTheNewAccountIsMarkedAndHiddenOnRequest() throws Exception {
    Account bea = f.local.createAccount("bea@example.com", null, Map.of("displayName", "Bea", "prefLocale", "it"));
    f.deliver(bea, "hello");
    f.record();
    Operation op = f.run("doRestoreOnNewAccount", "bea@example.com", "bea.copy@example.com", "last", "hide_in_gal", "true");
    assertSucceeded(op);
    Account copy = restored("bea.copy@example.com");
    assertEquals("Bea", copy.attributes().get("displayName"));
    assertEquals("it", copy.attributes().get("prefLocale"));
    assertEquals("TRUE", copy.attributes().get(NewAccountRestoreTask.HIDE_IN_GAL));
    RestoreMarker m = RestoreMarker.of(copy).orElseThrow();
    assertEquals(bea.id(), m.sourceId());
    assertEquals("last", m.requested());
    assertEquals(1, op.stats().counter("accountCreated"));
  }

  @Test
  void sharesSurviveTheGrantsAreRemadeAndTheMountpointsOpen() throws Exception {
    Account bob = f.account("bob@example.com");
    Account carl = f.account("carl@example.com");
    Folder projects = f.local.createFolder(ann.id(), "/Inbox/Projects", "message");
    f.deliver(ann, projects.id(), "shared plan");
    f.local.grant(ann.id(), projects.id(), bob.id(), bob.name(), "rw");
    Folder carlShared = f.local.createFolder(carl.id(), "/Inbox/Team", "message");
    f.deliver(carl, carlShared.id(), "team news");
    f.local.grant(carl.id(), carlShared.id(), ann.id(), ann.name(), "rwi");
    f.local.mount(ann.id(), "/Shared/Carl", new Mountpoint(carl.id(), carlShared.id(), carl.name()));
    f.record();

    Operation op = f.run("doRestoreOnNewAccount", "ann@example.com", "ann.new@example.com", "last");
    assertSucceeded(op);
    Account copy = restored("ann.new@example.com");
    Folder newProjects = f.local.folder(copy.id(), "/Inbox/Projects").orElseThrow();
    assertEquals(List.of(new Grant(copy.id(), newProjects.id(), bob.id(), bob.name(), "rw")), f.local.grants(copy.id()));
    Folder mount = f.local.folder(copy.id(), "/Shared/Carl").orElseThrow();
    assertTrue(mount.isMountpoint());
    assertTrue(resolves(mount.mount(), copy.id()), "carl gives the new account what he gave ann");
    assertEquals("rwi", rightsOf(carl.id(), carlShared.id(), copy.id()).orElseThrow());
    assertTrue(resolves(f.local.folder(ann.id(), "/Shared/Carl").orElseThrow().mount(), ann.id()), "ann keeps hers");
    assertEquals(1, op.stats().counter("sharesGranted"));
    assertEquals(1, op.stats().counter("mountpointsRestored"));

    Operation again = f.run("doRestoreOnNewAccount", "ann@example.com", "ann.new@example.com", "last");
    assertSucceeded(again);
    assertEquals(1, again.stats().counter("skipped"));
    assertEquals(1, f.local.grants(copy.id()).size(), "re-made once");
    // Issue 18, item 12: a re-run that restores nothing does not claim it did.
    assertEquals(0, again.stats().counter("mountpointsRestored"));
    assertEquals(0, again.stats().counter("sharesGranted"));
    assertEquals(2, again.stats().counter("sharesAlreadyThere"), "bob's grant and carl's mountpoint");
  }

  @Test
  void aMountpointOfAnOwnerOnAnotherServerIsGrantedThere() throws Exception {
    Map<String, String> remoteGrants = new HashMap<>();
    String remoteOwner = "0b9b6a2e-7c61-4b0e-9a55-000000000042";
    RemoteShares remote = new RemoteShares() {
      @Override
      public Optional<String> rights(Mountpoint target, String granteeId) {
        assertEquals(remoteOwner, target.ownerId());
        return Optional.ofNullable(remoteGrants.get(target.remoteFolderId() + "/" + granteeId));
      }

      @Override
      public void grant(Mountpoint target, Account grantee, String rights) {
        remoteGrants.put(target.remoteFolderId() + "/" + grantee.id(), rights);
      }
    };
    f.close();
    f = new RestoreFixture(dir.resolve("remote"), io.storefleet.worker.queue.Pacer.NONE,
        java.util.function.UnaryOperator.identity(), remote);
    f.local.createDomain("example.com");
    ann = f.account("ann@example.com");
    f.local.mount(ann.id(), "/Dave", new Mountpoint(remoteOwner, 300, "dave@example.com"));
    f.local.mount(ann.id(), "/Erin", new Mountpoint(remoteOwner, 301, "dave@example.com"));
    remoteGrants.put("300/" + ann.id(), "r");
    f.record();

    Operation op = f.run("doRestoreOnNewAccount", "ann@example.com", "ann.new@example.com", "last");
    assertSucceeded(op);
    Account copy = restored("ann.new@example.com");
    assertEquals("r", remoteGrants.get("300/" + copy.id()), "dave's server was asked to share folder 300");
    assertEquals(null, remoteGrants.get("301/" + copy.id()), "dave no longer shares 301 with ann: nothing to copy");
    assertEquals(2, op.stats().counter("mountpointsRestored"));
    assertEquals(1, op.stats().counter("mountpointsUnsharedAtSource"));
  }

  private Optional<String> rightsOf(String ownerId, int folderId, String granteeId) {
    return f.local.grants(ownerId).stream().filter(g -> g.folderId() == folderId && g.granteeId().equals(granteeId))
        .map(Grant::rights).findFirst();
  }

  /** A mountpoint opens when its owner exists, has the folder, and grants the holder rights on it. */
  private boolean resolves(Mountpoint m, String holderId) {
    Optional<Folder> target = f.local.account(m.ownerId()).flatMap(o -> f.local.folders(o.id()).stream()
        .filter(x -> x.id() == m.remoteFolderId() && !x.isMountpoint()).findFirst());
    return target.isPresent() && rightsOf(m.ownerId(), m.remoteFolderId(), holderId).isPresent();
  }

  @Test
  void aDeletedAccountComesBackAsItWasWhenDeleted() throws Exception {
    Account bob = f.account("bob@example.com");
    Folder keep = f.local.createFolder(ann.id(), "/Keep", "message");
    List<Item> mail = f.deliver(ann, keep.id(), "one", "two", "three");
    f.local.setFlags(ann.id(), mail.get(1).id(), Set.of("flagged"));
    f.local.grant(ann.id(), keep.id(), bob.id(), bob.name(), "r");
    f.record();
    f.clock.advance(Duration.ofMinutes(5));
    f.local.deleteItem(ann.id(), mail.get(2).id());
    f.record();
    MailboxView beforeDeletion = MailboxView.of(f.local, ann.id());
    f.clock.advance(Duration.ofMinutes(5));
    f.local.deleteAccount(ann.id());
    f.record();
    f.clock.advance(Duration.ofHours(1));

    Operation op = f.run("doRestoreDeletedAccount", "ann@example.com", "ann.back@example.com");
    assertSucceeded(op);
    Account back = restored("ann.back@example.com");
    assertEquals(beforeDeletion, MailboxView.of(f.local, back.id()));
    assertEquals(2, op.stats().counter("restored"));
    assertEquals(1, f.local.grants(back.id()).size());
    assertTrue(op.stats().verdict().contains("as it was when deleted"), op.stats().verdict());
    // The deleted account is found by its id as well, and a re-run completes into the same account.
    Operation byId = f.run("doRestoreDeletedAccount", ann.id(), "ann.back@example.com");
    assertSucceeded(byId);
    assertEquals(2, byId.stats().counter("skipped"));
    assertEquals(0, byId.stats().counter("restored"));
  }

  @Test
  void aDeletionFoundOnlyBySmartScanIsRestoredToo() throws Exception {
    f.deliver(ann, "kept");
    assertSucceeded(f.run("doSmartScan"));
    MailboxView before = MailboxView.of(f.local, ann.id());
    f.local.deleteAccount(ann.id());
    f.clock.advance(Duration.ofMinutes(1));
    assertSucceeded(f.run("doSmartScan"));
    Operation op = f.run("doRestoreDeletedAccount", "ann@example.com", "ann.back@example.com");
    assertSucceeded(op);
    assertEquals(before, MailboxView.of(f.local, restored("ann.back@example.com").id()));
  }

  @Test
  void wrongRequestsAreRefusedBeforeQueuing() throws Exception {
    f.deliver(ann, "x");
    f.record();
    f.account("other@example.com");
    StorefleetException taken = assertThrows(StorefleetException.class,
        () -> f.submit("doRestoreOnNewAccount", "ann@example.com", "other@example.com", "last"));
    assertEquals(ErrorCode.ALREADY_EXISTS, taken.code());
    assertTrue(taken.getMessage().contains("deleteAccount other@example.com"), taken.getMessage());
    assertEquals(ErrorCode.NOT_IMPLEMENTED, assertThrows(StorefleetException.class, () -> f.submit(
        "doRestoreOnNewAccount", "ann@example.com", "n@example.com", "last", "restore_chat_buddies", "true")).code());
    StorefleetException hsm = assertThrows(StorefleetException.class, () -> f.submit(
        "doRestoreOnNewAccount", "ann@example.com", "n@example.com", "last", "apply_hsm", "true"));
    assertEquals(ErrorCode.NOT_IMPLEMENTED, hsm.code());
    assertTrue(hsm.getMessage().contains("apply_hsm"), hsm.getMessage());
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(StorefleetException.class, () -> f.submit(
        "doRestoreOnNewAccount", "ann@example.com", "n@elsewhere.org", "last")).code());
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT, assertThrows(StorefleetException.class, () -> f.submit(
        "doRestoreOnNewAccount", "nobody@example.com", "n@example.com", "last")).code());
    assertEquals(ErrorCode.CONFLICT, assertThrows(StorefleetException.class, () -> f.submit(
        "doRestoreDeletedAccount", "ann@example.com", "n@example.com")).code());
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class, () -> f.submit(
        "doRestoreOnNewAccount", "ann@example.com", "ann@example.com", "last")).code());
    assertTrue(f.local.account("other@example.com").orElseThrow().attributes().isEmpty(),
        "the refused restore left the existing account untouched");
    assertEquals(Optional.empty(), f.local.account("n@example.com"));
  }

  @Test
  void aDateBeforeTheAccountWasBackedUpFails() throws Exception {
    f.clock.set(Instant.parse("2026-05-01T00:00:00Z"));
    f.deliver(ann, "x");
    f.record();
    // Issue 18, item 9: refused at submit with a definite error, not queued to fail later.
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> f.submit("doRestoreOnNewAccount", "ann@example.com", "n@example.com", "01/04/2026 00:00:00"));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("its first record is from 01/05/2026 00:00:00 +00:00"), e.getMessage());
    assertEquals(Optional.empty(), f.local.account("n@example.com"), "nothing created for a refused request");
    assertTrue(f.queue.list(true).isEmpty(), "nothing queued");
    // With an explicit offset the same wall-clock time is another instant: 01/05 00:00 at +02:00 is before the record.
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(StorefleetException.class, () -> f.submit("doRestoreOnNewAccount",
        "ann@example.com", "n@example.com", "01/05/2026 00:00:00 +02:00")).code());
    assertSucceeded(f.run("doRestoreOnNewAccount", "ann@example.com", "n@example.com", "01/05/2026 00:00:00 Z"));
  }
}
