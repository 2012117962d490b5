package io.storefleet.worker.imports;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.testing.ServerFixture;
import io.storefleet.worker.testing.TreeCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalRestoreTaskTest {
  @TempDir Path root;
  SourceWorld w;
  ServerFixture dest;
  Path export;

  @BeforeEach
  void setUp() throws Exception {
    w = new SourceWorld(root);
    Files.createDirectories(root.resolve("exports"));
    export = w.export(root.resolve("exports/old1"));
    dest = new ServerFixture(root, "new1");
  }

  @AfterEach
  void tearDown() throws Exception {
    dest.close();
    w.old.close();
  }

  @Test
  void importsInThreePhasesWithNotificationsAndTheIdMap() throws Exception {
    Operation op = dest.run("doExternalRestore", "source_path", export.toString(), "notifications", "ops@example.com");
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()) + " " + op.stats());
    var s = op.stats();
    assertEquals(15, s.counter("restoredItems"));
    assertEquals(0, s.counter("skippedItems"));
    assertEquals(0, s.counter("unrestoredItems"));
    assertEquals(3, s.counter("accountsCreated"));
    assertEquals(1, s.counter("accountsSystemLeftOut"), "galsync is a system account");
    assertEquals(2, s.counter("domainsCreated"));
    assertEquals(1, s.counter("cosCreated"), "staff; default is there and 'unused' is used by nobody");
    assertEquals(1, s.counter("listsCreated"));
    assertEquals(1, s.counter("aliasesAdded"));
    assertEquals(1, s.counter("grantsRestored"));
    assertEquals(1, s.counter("mountpointsRestored"));
    assertTrue(s.counter("foldersVerified") >= 5, s.toString());
    assertTrue(s.verdict().contains("counts, sizes and digests match"), s.verdict());

    List<String> phases = dest.phases;
    int p1 = phases.indexOf("PHASE1 provisioning");
    int p2 = phases.indexOf("PHASE2 items");
    int p3 = phases.indexOf("PHASE3 mountpoints");
    assertTrue(p1 >= 0 && p1 < p2 && p2 < p3, phases.toString());
    assertEquals(List.of("Operation Started", "PHASE1 Feedback", "Operation Ended"),
        op.notifications().stream().map(ExternalRestoreTaskTest::kind).toList());
    assertTrue(op.notifications().get(1).text().contains("3 account(s) ready (3 created"),
        op.notifications().get(1).text());

    MailStore to = dest.store;
    Account ann = to.account("ann@a.example").orElseThrow();
    Account bob = to.account("bob@a.example").orElseThrow();
    assertNotEquals(w.ann.id(), ann.id(), "an external restore gives new ids");
    assertEquals("Ann Smith", ann.attributes().get("displayName"));
    assertEquals(List.of("a.smith@a.example"), ann.aliases());
    assertEquals("office staff", to.cos("staff").orElseThrow().notes());
    assertTrue(to.cos("unused").isEmpty());
    assertTrue(to.account("galsync.x1@a.example").isEmpty());
    assertEquals(List.of("ann@a.example", "bob@a.example"), to.distributionLists().get(0).members());
    for (Account a : List.of(w.ann, w.bob, w.cat)) {
      assertEquals(contents(w.old.store, a.id()), contents(to, to.account(a.name()).orElseThrow().id()), a.name());
    }

    Folder projects = to.folder(ann.id(), "/Inbox/Projects").orElseThrow();
    Grant g = to.grants(ann.id()).get(0);
    assertEquals(projects.id(), g.folderId());
    assertEquals(bob.id(), g.granteeId(), "the grantee came with the same import: its new id");
    Folder mount = to.folder(bob.id(), "/Ann's projects").orElseThrow();
    assertEquals(ann.id(), mount.mount().ownerId());
    assertEquals(projects.id(), mount.mount().remoteFolderId());

    Path map = dest.dir.resolve("backup/map_old1");
    List<String> records = AppendLog.inspect(map).records();
    assertEquals("storefleet-idmap 1 old1", records.get(0));
    assertTrue(records.contains("account " + w.ann.id() + " " + ann.id() + " ann@a.example"), records.toString());
    assertTrue(records.stream().anyMatch(r -> r.startsWith("items " + w.ann.id() + " ")
        && r.contains(" " + w.projects.id() + "=" + projects.id())), records.toString());
  }

  @Test
  void accountsAreUsableAfterPhase1WhileTheItemsWait() {
    dest.gate.shut();
    String uuid = dest.submit("doExternalRestore", "source_path", export.toString(), "notifications", "ops@example.com");
    await().atMost(Duration.ofSeconds(30)).until(dest.gate::holding);
    Operation running = dest.operation(uuid);
    assertEquals(OperationState.RUNNING, running.state());
    assertEquals("PHASE2 items", running.progress().phase());
    assertEquals(15, running.progress().total());
    assertTrue(running.notifications().stream().anyMatch(n -> kind(n).equals("PHASE1 Feedback")));
    Account ann = dest.store.account("ann@a.example").orElseThrow();
    assertEquals(List.of(), dest.store.items(ann.id()), "the account is there before its items");
    dest.gate.open();
    assertEquals(OperationState.SUCCEEDED, dest.await(uuid).state());
  }

  @Test
  void concurrentAccountsImportsThatManyAccountsAtOnce() {
    dest.gate.shut();
    String uuid = dest.submit("doExternalRestore", "source_path", export.toString(), "concurrent_accounts", "3");
    await().atMost(Duration.ofSeconds(30)).until(() -> dest.gate.waiting() == 3);
    dest.gate.open();
    Operation op = dest.await(uuid);
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    assertEquals(15, op.stats().counter("restoredItems"));
  }

  @Test
  void aSecondImportTakesOnlyWhatIsNewAndCreatesNothingTwice() throws Exception {
    assertEquals(OperationState.SUCCEEDED, dest.run("doExternalRestore", "source_path", export.toString()).state());
    w.deliver(w.ann, Folder.INBOX, 2, "late", Set.of(), Set.of());
    Account dan = w.old.account("dan@b.example");
    w.deliver(dan, Folder.INBOX, 1, "dan", Set.of(), Set.of());
    Path second = w.export(root.resolve("exports/old1-again"));

    Operation again = dest.run("doExternalRestore", "source_path", second.toString());
    assertEquals(OperationState.SUCCEEDED, again.state(), String.valueOf(again.error()));
    assertEquals(3, again.stats().counter("restoredItems"));
    assertEquals(15, again.stats().counter("skippedItems"));
    assertEquals(1, again.stats().counter("accountsCreated"));
    assertEquals(3, again.stats().counter("accountsExisting"));
    assertEquals(0, again.stats().counter("foldersCreated"));
    assertEquals(0, again.stats().counter("mountpointsRestored"));
    assertEquals(1, again.stats().counter("mountpointsExisting"));
    for (Account a : List.of(w.ann, w.bob, w.cat, dan)) {
      assertEquals(contents(w.old.store, a.id()), contents(dest.store, dest.store.account(a.name()).orElseThrow().id()),
          a.name());
    }

    Operation third = dest.run("doExternalRestore", "source_path", second.toString());
    assertEquals(0, third.stats().counter("restoredItems"));
    assertEquals(18, third.stats().counter("skippedItems"));

    // A kill after the items were created but before their map records: the next run finds them.
    Path map = dest.dir.resolve("backup/map_old1");
    List<String> kept = AppendLog.inspect(map).records().stream().filter(r -> !r.startsWith("items ")).toList();
    AppendLog.rewrite(map, kept);
    Operation fourth = dest.run("doExternalRestore", "source_path", second.toString());
    assertEquals(OperationState.SUCCEEDED, fourth.state(), String.valueOf(fourth.error()));
    assertEquals(0, fourth.stats().counter("restoredItems"));
    assertEquals(18, fourth.stats().counter("skippedItems"));
    assertEquals(0, fourth.stats().counter("foldersCreated"));
    assertEquals(11, dest.store.items(dest.store.account("ann@a.example").orElseThrow().id()).size());
  }

  @Test
  void aReImportCarriesOverRightsChangedOnTheSource() {
    assertEquals(OperationState.SUCCEEDED, dest.run("doExternalRestore", "source_path", export.toString()).state());
    Account ann = dest.store.account("ann@a.example").orElseThrow();
    Account bob = dest.store.account("bob@a.example").orElseThrow();
    int projects = dest.store.folder(ann.id(), "/Inbox/Projects").orElseThrow().id();

    Operation same = dest.run("doExternalRestore", "source_path", export.toString());
    assertEquals(0, same.stats().counter("grantsRestored"));
    assertEquals(1, same.stats().counter("grantsExisting"));

    w.old.store.grant(w.ann.id(), w.projects.id(), w.bob.id(), w.bob.name(), "rwi");
    Path changed = w.export(root.resolve("exports/old1-rights"));
    Operation again = dest.run("doExternalRestore", "source_path", changed.toString());
    assertEquals(OperationState.SUCCEEDED, again.state(), String.valueOf(again.error()));
    assertEquals(1, again.stats().counter("grantsRestored"));
    assertEquals(0, again.stats().counter("grantsExisting"));
    assertEquals(List.of(new Grant(ann.id(), projects, bob.id(), "bob@a.example", "rwi")), dest.store.grants(ann.id()));
  }

  @Test
  void aReImportLeavesAGrantDoFixSharesRepointedAlone() {
    Operation first = dest.run("doExternalRestore", "source_path", export.toString(), "accounts", "ann@a.example");
    assertEquals(OperationState.SUCCEEDED, first.state(), String.valueOf(first.error()));
    Account ann = dest.store.account("ann@a.example").orElseThrow();
    int projects = dest.store.folder(ann.id(), "/Inbox/Projects").orElseThrow().id();
    assertEquals(List.of(new Grant(ann.id(), projects, w.bob.id(), "bob@a.example", "r")), dest.store.grants(ann.id()),
        "bob is not imported here: the grant keeps his old id");
    // What doFixShares does once bob has a new id on another server.
    dest.store.revoke(ann.id(), projects, w.bob.id());
    dest.store.grant(ann.id(), projects, "bob-on-new2", "bob@a.example", "r");

    Operation again = dest.run("doExternalRestore", "source_path", export.toString(), "accounts", "ann@a.example");
    assertEquals(OperationState.SUCCEEDED, again.state(), String.valueOf(again.error()));
    assertEquals(0, again.stats().counter("grantsRestored"));
    assertEquals(1, again.stats().counter("grantsExisting"));
    assertEquals(List.of(new Grant(ann.id(), projects, "bob-on-new2", "bob@a.example", "r")),
        dest.store.grants(ann.id()));
  }

  @Test
  void badSourcesAndFiltersAreRefusedAndNothingIsCreated() throws Exception {
    String src = export.toString();
    StorefleetException unknown = refused("source_path", src, "accounts", "ann@a.example,zed@a.example");
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT, unknown.code());
    assertTrue(unknown.getMessage().contains("account zed@a.example is not in the source"), unknown.getMessage());
    StorefleetException domain = refused("source_path", src, "domains", "c.example");
    assertEquals(ErrorCode.NOT_FOUND, domain.code());
    assertTrue(domain.getMessage().contains("(its domains: a.example, b.example)"), domain.getMessage());
    assertEquals(ErrorCode.BAD_VALUE, refused("source_path", src, "accounts", "cat@b.example", "domains", "a.example")
        .code());
    StorefleetException notBackup = refused("source_path", Files.createDirectories(root.resolve("empty")).toString());
    assertEquals(ErrorCode.NOT_FOUND, notBackup.code());
    assertTrue(notBackup.getMessage().contains("is not a storefleet export or backup path"), notBackup.getMessage());
    assertEquals(ErrorCode.PATH_NOT_ALLOWED, refused("source_path", "/tmp/elsewhere-" + System.nanoTime()).code());
    assertEquals(ErrorCode.BAD_VALUE, refused("source_path", src, "concurrent_accounts", "0").code());
    assertEquals(ErrorCode.BAD_VALUE, refused("source_path", src, "max_file_size", "0").code());

    w.old.gate.shut();
    String stopped = w.old.submit("doExport", "destination_path", root.resolve("exports/half").toString());
    await().atMost(Duration.ofSeconds(30)).until(w.old.gate::holding);
    w.old.stop(stopped);
    assertEquals(OperationState.STOPPED, w.old.await(stopped).state());
    w.old.gate.open();
    StorefleetException half = refused("source_path", root.resolve("exports/half").toString());
    assertEquals(ErrorCode.CONFLICT, half.code());
    assertTrue(half.getMessage().contains("holds an unfinished export of old1"), half.getMessage());

    StorefleetException own = assertThrows(StorefleetException.class,
        () -> w.old.submit("doExternalRestore", "source_path", src));
    assertEquals(ErrorCode.CONFLICT, own.code());
    assertTrue(own.getMessage().contains("force_as_external_restore true"), own.getMessage());

    assertEquals(List.of(), dest.store.accounts());
    assertFalse(Files.exists(dest.dir.resolve("backup/map_old1")));
  }

  @Test
  void filtersChooseAccountsAndProvisioningOnlyLeavesTheItemsForLater() {
    Operation bob = dest.run("doExternalRestore", "source_path", export.toString(), "accounts", "bob@a.example");
    assertEquals(OperationState.SUCCEEDED, bob.state(), String.valueOf(bob.error()));
    assertEquals(List.of("bob@a.example"), dest.store.accounts().stream().map(Account::name).toList());
    assertEquals(0, bob.stats().counter("listsCreated"), "lists come with their domain, not with named accounts");
    assertEquals(0, bob.stats().counter("grantsRestored"));
    Folder mount = dest.store.folder(dest.store.account("bob@a.example").orElseThrow().id(), "/Ann's projects")
        .orElseThrow();
    assertEquals(w.ann.id(), mount.mount().ownerId(), "ann is not here yet: the old id stays for doFixShares");

    Operation prov = dest.run("doExternalRestore", "source_path", export.toString(), "domains", "b.example",
        "provisioning_only", "true");
    assertEquals(OperationState.SUCCEEDED, prov.state(), String.valueOf(prov.error()));
    Account cat = dest.store.account("cat@b.example").orElseThrow();
    assertEquals(List.of(), dest.store.items(cat.id()));
    Operation items = dest.run("doExternalRestore", "source_path", export.toString(), "domains", "b.example");
    assertEquals(2, items.stats().counter("restoredItems"));
    assertEquals(1, items.stats().counter("accountsExisting"));
    assertEquals(2, dest.store.items(cat.id()).size());
  }

  @Test
  void aBackupPathImportsItsDeletedAccountsAndItemsOnlyWhenAsked() throws Exception {
    assertEquals(OperationState.SUCCEEDED, w.old.run("doSmartScan").state());
    Item gone = w.old.store.items(w.bob.id()).get(0);
    w.old.store.deleteItem(w.bob.id(), gone.id());
    w.old.store.deleteAccount(w.cat.id());
    assertEquals(OperationState.SUCCEEDED, w.old.run("doSmartScan").state());
    // The old server is still running, so its backup path is locked: the import reads a copy.
    StorefleetException refused = assertThrows(StorefleetException.class,
        () -> dest.run("doExternalRestore", "source_path", w.old.dir.resolve("backup").toString()));
    assertTrue(refused.getMessage().contains("give a copy of the path"), refused.getMessage());
    Path copy = root.resolve("old1-backup-copy");
    TreeCopy.copyTree(w.old.dir.resolve("backup"), copy);
    String backup = copy.toString();

    Operation live = dest.run("doExternalRestore", "source_path", backup);
    assertEquals(OperationState.SUCCEEDED, live.state(), String.valueOf(live.error()));
    assertEquals(1, live.stats().counter("accountsDeletedLeftOut"));
    assertTrue(dest.store.account("cat@b.example").isEmpty());
    assertEquals(3, dest.store.items(dest.store.account("bob@a.example").orElseThrow().id()).size());

    try (ServerFixture other = new ServerFixture(root, "new2")) {
      Operation all = other.run("doExternalRestore", "source_path", backup, "filter_deleted", "false");
      assertEquals(OperationState.SUCCEEDED, all.state(), String.valueOf(all.error()));
      assertEquals(2, other.store.items(other.store.account("cat@b.example").orElseThrow().id()).size());
      assertEquals(4, other.store.items(other.store.account("bob@a.example").orElseThrow().id()).size());
    }
  }

  @Test
  void anAccountThatLivesOnAnotherServerOfTheClusterIsRefused() {
    dest.cluster = ServerFixture.clusterOf(java.util.Map.of("bob@a.example", "mbox7"), java.util.Map.of());
    Operation op = dest.run("doExternalRestore", "source_path", export.toString());
    assertEquals(OperationState.FAILED, op.state());
    assertEquals(1, op.stats().counter("accountsUnrestored"));
    assertTrue(op.stats().unrestored().stream().anyMatch(u -> u.account().equals("bob@a.example")
        && u.cause().contains("already exists on server mbox7")), op.stats().unrestored().toString());
    assertTrue(dest.store.account("bob@a.example").isEmpty());
    assertEquals(11, op.stats().counter("restoredItems"), "the other accounts are imported");
  }

  @Test
  void theCountersAgreeWithTheUnrestoredList() {
    dest.cluster = ServerFixture.clusterOf(java.util.Map.of("bob@a.example", "mbox1", "cat@b.example", "mbox1"),
        java.util.Map.of());
    Operation op = dest.run("doExternalRestore", "source_path", export.toString());
    assertEquals(OperationState.FAILED, op.state());
    long listed = op.stats().unrestored().size();
    assertTrue(listed >= 2, op.stats().unrestored().toString());
    assertEquals(2, op.stats().counter("accountsUnrestored"));
    assertEquals(listed, op.stats().counter("unrestoredItems") + op.stats().counter("accountsUnrestored")
        + op.stats().counter("accountsItemsUnrestored") + op.stats().counter("objectsUnrestored"), "every listed entry is counted once: " + op.stats());
    assertTrue(op.stats().verdict().contains("2 account(s) NOT imported"), op.stats().verdict());
  }

  private StorefleetException refused(String... nameValues) {
    return assertThrows(StorefleetException.class, () -> dest.submit("doExternalRestore", nameValues));
  }

  private static String kind(Notification n) {
    String s = n.subject();
    return s.substring(s.lastIndexOf('(') >= 0 && s.endsWith(")") ? s.lastIndexOf('(') + 1 : s.lastIndexOf(": ") + 2)
        .replace(")", "");
  }

  /** An account's items as (folder path, type, digest, flags, tags), sorted; the store digests the bytes it keeps. */
  static List<String> contents(MailStore store, String accountId) {
    Map<Integer, String> paths = new HashMap<>();
    store.folders(accountId).forEach(f -> paths.put(f.id(), f.path()));
    List<String> out = new ArrayList<>();
    for (Item i : store.items(accountId)) {
      out.add(paths.get(i.folderId()) + " " + i.type() + " " + i.digest() + " " + i.flags().stream().sorted().toList()
          + " " + i.tags().stream().sorted().toList());
    }
    out.sort(null);
    return out;
  }
}
