package io.storefleet.worker.shares;

import static io.storefleet.worker.shares.MountTargets.target;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.MapSelection;
import io.storefleet.shares.ShareFix;
import io.storefleet.shares.ShareReport;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doFixShares after a mirror import: with every map, with one map, and against objects that changed. */
class ShareFixTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  ShareCluster cluster;
  OperationQueue queue;
  /** mountpoint holder name + path → the owner name + folder path it must show. */
  final Map<String, String> mounts = new LinkedHashMap<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new ShareCluster(dir, 3, clock);
    for (String s : cluster.servers()) {
      cluster.store(s).createDomain("example.com");
    }
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock, op -> {
      String file = op.params().get("import_idmap_file");
      MapSelection sel = file.equals("all") ? MapSelection.all() : MapSelection.one(op.params().get("server"), file);
      return new ShareFixTask(cluster.survey(), sel, sel.isAll() ? null : sel.server());
    }, Pacer.NONE, op -> {});
    queue.start();
  }

  @AfterEach
  void stop() throws Exception {
    queue.close();
    cluster.close();
  }

  private Operation fix(String file, String server) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("import_idmap_file", file);
    if (server != null) {
      p.put("server", server);
    }
    String uuid = queue.submit("doFixShares", p, "test", null).uuid();
    await().atMost(Duration.ofSeconds(60)).until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return queue.get(uuid).orElseThrow();
  }

  private static byte[] mail(String subject) {
    return ("From: a@example.com\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(UTF_8);
  }

  private Account account(String server, String name) {
    return cluster.store(server).createAccount(name, null, Map.of());
  }

  /** {@code owner} shares a folder holding {@code n} messages with {@code grantee}, who mounts it. */
  private void share(Account owner, String path, int n, Account grantee, String mountPath) {
    MailStore os = cluster.store(cluster.serverOf(owner.name()));
    Folder f = path.equals("/Calendar") ? os.folder(owner.id(), path).orElseThrow()
        : os.createFolder(owner.id(), path, "message");
    for (int i = 0; i < n; i++) {
      if (f.id() == Folder.CALENDAR) {
        os.addItem(owner.id(), f.id(), ItemType.APPOINTMENT, mail("meeting " + i), "meeting " + i);
      } else {
        os.addMessages(owner.id(), f.id(), List.of(mail(owner.name() + path + i)), Set.of(), Set.of());
      }
    }
    if (os.grants(owner.id()).stream().noneMatch(g -> g.folderId() == f.id() && g.granteeId().equals(grantee.id()))) {
      os.grant(owner.id(), f.id(), grantee.id(), grantee.name(), "rw");
    }
    cluster.store(cluster.serverOf(grantee.name())).mount(grantee.id(), mountPath,
        new Mountpoint(owner.id(), f.id(), owner.name()));
    mounts.put(grantee.name() + " " + mountPath, owner.name() + " " + path);
  }

  /** ann, dan on mbox1, bob on mbox2, cal on mbox3, each sharing with someone on another server. */
  private void sharesAcrossServers() {
    Account ann = account("mbox1", "ann@example.com");
    Account dan = account("mbox1", "dan@example.com");
    Account bob = account("mbox2", "bob@example.com");
    Account cal = account("mbox3", "cal@example.com");
    cluster.store("mbox1").addMessages(ann.id(), Folder.INBOX, List.of(mail("x"), mail("y")), Set.of(), Set.of());
    share(ann, "/Projects", 3, bob, "/Shared/Ann");
    share(bob, "/Calendar", 2, cal, "/Bob calendar");
    share(cal, "/Team", 2, ann, "/Team");
    share(cal, "/Team", 2, dan, "/Cal team");
    share(dan, "/Notes", 1, cal, "/Dan notes");
  }

  /** Each mountpoint opens its owner's folder, with the same items. */
  private void everyMountpointOpensItsFolder() {
    for (Map.Entry<String, String> m : mounts.entrySet()) {
      String[] holder = m.getKey().split(" ", 2);
      String[] owner = m.getValue().split(" ", 2);
      MailStore hs = cluster.store(cluster.serverOf(holder[0]));
      Account h = hs.account(holder[0]).orElseThrow();
      Folder mp = hs.folder(h.id(), holder[1]).orElseThrow();
      String ownerServer = cluster.serverOf(owner[0]);
      OpenedFolder opened = cluster.service(ownerServer).open(mp.mount().ownerId(), mp.mount().remoteFolderId(), h.id());
      MailStore os = cluster.store(ownerServer);
      Account o = os.account(owner[0]).orElseThrow();
      Folder of = os.folder(o.id(), owner[1]).orElseThrow();
      assertEquals(of.path(), opened.path(), m.toString());
      assertEquals(digests(os.items(o.id(), of.id())), digests(opened.items()), m.toString());
      assertTrue(!opened.items().isEmpty(), m.toString());
    }
  }

  private static List<String> digests(List<Item> items) {
    List<String> d = new ArrayList<>();
    items.forEach(i -> d.add(i.subject() + " " + i.digest()));
    return d;
  }

  @Test
  void aMirrorImportIsFixedEverywhereInOneOperationWithEveryServersMaps() throws Exception {
    sharesAcrossServers();
    everyMountpointOpensItsFolder();
    assertEquals(0, cluster.survey().check(MapSelection.all()).summary().broken());
    cluster.importAccounts(Map.of("ann@example.com", "mbox2", "dan@example.com", "mbox2", "bob@example.com", "mbox3",
        "cal@example.com", "mbox1"), List.of("dan@example.com"));

    ShareReport before = cluster.survey().check(MapSelection.all());
    assertEquals(new ShareReport.Summary(5, 5, 10, 10, 2), before.summary(), before.render());
    assertEquals(List.of("mbox1:map_mbox3", "mbox2:map_mbox1", "mbox3:map_mbox2"), before.maps());

    Operation op = fix("all", null);
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    assertEquals(5, op.stats().counter("regranted"));
    assertEquals(5, op.stats().counter("repointed"));
    assertEquals(2, op.stats().counter("byName"), "dan's import wrote no map");
    assertEquals(0, op.stats().counter("remaining"));
    assertTrue(op.stats().verdict().contains("Afterwards doCheckShares finds no broken share on every server."),
        op.stats().verdict());
    ShareReport after = cluster.survey().check(MapSelection.all());
    assertEquals(List.of(), after.problems(), after.render());
    everyMountpointOpensItsFolder();

    Operation again = fix("all", null);
    assertEquals(OperationState.SUCCEEDED, again.state());
    assertEquals("No broken share on every server: nothing to fix.", again.stats().verdict());
  }

  @Test
  void oneMapOnOneServerFixesOnlyThatServerAndListsWhatIsLeft() throws Exception {
    sharesAcrossServers();
    cluster.importAccounts(Map.of("ann@example.com", "mbox2", "dan@example.com", "mbox2", "bob@example.com", "mbox3",
        "cal@example.com", "mbox1"), List.of());
    String annId = cluster.store("mbox2").account("ann@example.com").orElseThrow().id();
    int inbox = Folder.INBOX;
    cluster.store("mbox2").grant(annId, inbox, "someone-long-gone", "gone@example.com", "r");

    Operation op = fix("map_mbox1", "mbox2");
    assertEquals(OperationState.FAILED, op.state());
    assertEquals("CONFLICT", op.error().code());
    assertEquals(2, op.stats().counter("regranted"));
    assertEquals(2, op.stats().counter("repointed"));
    // Left: the grant to an account that exists nowhere, and the two mountpoints of cal's folder,
    // whose grant is on mbox1 and names ann's and dan's old ids until mbox1's shares are fixed.
    assertEquals(3, op.stats().counter("remaining"));
    List<String> left = op.stats().unrestored().stream().map(u -> u.account() + " " + u.itemId() + " "
        + u.cause().split(" ")[1] + " " + u.cause().split(": ")[1].split(" ")[0]).toList();
    assertEquals(List.of("ann@example.com 2 grant GRANTEE_UNKNOWN", "dan@example.com 258 mountpoint NO_GRANT",
        "ann@example.com 259 mountpoint NO_GRANT"), left);
    assertTrue(op.stats().unrestored().get(1).cause().contains("(on mbox1)"), op.stats().unrestored().toString());
    assertTrue(op.stats().verdict().contains("doFixShares all"), op.stats().verdict());

    ShareReport after = cluster.survey().check(MapSelection.all());
    assertEquals(3, after.forServer("mbox2").summary().broken(), after.render());
    assertTrue(after.forServer("mbox1").summary().broken() > 0, "other servers' shares were left alone");
    assertTrue(after.forServer("mbox3").summary().broken() > 0, "other servers' shares were left alone");
  }

  @Test
  void fixesCheckTheObjectIsStillAsPlannedAndFinishAHalfDoneReGrant() {
    Account ann = account("mbox1", "ann@example.com");
    Account bob = account("mbox2", "bob@example.com");
    MailStore s1 = cluster.store("mbox1");
    MailStore s2 = cluster.store("mbox2");
    Folder f = s1.createFolder(ann.id(), "/Projects", "message");
    s1.grant(ann.id(), f.id(), "old-bob", "bob@example.com", "rw");
    s1.grant(ann.id(), f.id(), bob.id(), "bob@example.com", "rw"); // killed between grant and revoke
    Folder m = s2.mount(bob.id(), "/Ann", new Mountpoint("old-ann", 300, "ann@example.com"));
    Mountpoint now = new Mountpoint(ann.id(), f.id(), "ann@example.com");

    List<FixOutcome> out = cluster.service("mbox1").apply(List.of(
        ShareFix.regrant("mbox1", ann.id(), f.id(), "old-bob", bob.id(), "bob@example.com", "rw"),
        ShareFix.regrant("mbox1", ann.id(), f.id(), "old-bob", bob.id(), "bob@example.com", "rw"),
        ShareFix.regrant("mbox1", ann.id(), f.id(), "never-there", "someone-new", "new@example.com", "rw"),
        ShareFix.repoint("mbox2", bob.id(), m.id(), target(m.mount()), target(now))));
    assertEquals(List.of(FixOutcome.Status.APPLIED, FixOutcome.Status.ALREADY, FixOutcome.Status.CHANGED,
        FixOutcome.Status.FAILED), out.stream().map(FixOutcome::status).toList(), out.toString());
    assertEquals(List.of(new Grant(ann.id(), f.id(), bob.id(), "bob@example.com", "rw")), s1.grants(ann.id()));

    out = cluster.service("mbox2").apply(List.of(
        ShareFix.repoint("mbox2", bob.id(), m.id(), new ShareFix.Target("someone-else", 300, "x@example.com"),
            target(now)),
        ShareFix.repoint("mbox2", bob.id(), m.id(), target(m.mount()), target(now)),
        ShareFix.repoint("mbox2", bob.id(), m.id(), target(m.mount()), target(now)),
        ShareFix.repoint("mbox2", bob.id(), Folder.INBOX, target(m.mount()), target(now))));
    assertEquals(List.of(FixOutcome.Status.CHANGED, FixOutcome.Status.APPLIED, FixOutcome.Status.ALREADY,
        FixOutcome.Status.CHANGED), out.stream().map(FixOutcome::status).toList(), out.toString());
    assertEquals(now, s2.folder(bob.id(), "/Ann").orElseThrow().mount());
    assertEquals(List.of(), cluster.survey().check(MapSelection.all()).problems());
  }
}
