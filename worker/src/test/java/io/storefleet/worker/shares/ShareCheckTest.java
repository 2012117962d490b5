package io.storefleet.worker.shares;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.IdRef;
import io.storefleet.shares.MapSelection;
import io.storefleet.shares.ServerShares;
import io.storefleet.shares.ShareFix;
import io.storefleet.shares.ShareProblem.Cause;
import io.storefleet.shares.ShareProblem.Kind;
import io.storefleet.shares.ShareProblem.Via;
import io.storefleet.shares.ShareProblem;
import io.storefleet.shares.ShareReport;
import io.storefleet.shares.ShareServers;
import io.storefleet.shares.ShareSurvey;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each cause a share check reports, and the fix it proposes from a map, an address or a grant. */
class ShareCheckTest {
  @TempDir Path dir;
  ShareCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new ShareCluster(dir, 2, MutableClock.atEpoch2026());
    for (String s : cluster.servers()) {
      cluster.store(s).createDomain("example.com");
    }
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  static byte[] mail(String subject) {
    return ("From: a@example.com\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(UTF_8);
  }

  private Account account(String server, String name) {
    return cluster.store(server).createAccount(name, null, Map.of());
  }

  private Folder folder(String server, Account a, String path, int messages) {
    MailStore s = cluster.store(server);
    Folder f = s.createFolder(a.id(), path, "message");
    for (int i = 0; i < messages; i++) {
      s.addMessages(a.id(), f.id(), List.of(mail(path + " " + i)), Set.of(), Set.of());
    }
    return f;
  }

  private ShareReport check() {
    return cluster.survey().check(MapSelection.all());
  }

  private static ShareProblem only(ShareReport r, Kind kind, String folderPath) {
    List<ShareProblem> found = r.problems().stream()
        .filter(p -> p.kind() == kind && p.folderPath().equals(folderPath)).toList();
    assertEquals(1, found.size(), kind + " " + folderPath + " in\n" + r.render());
    return found.get(0);
  }

  @Test
  void wholeSharesAcrossServersAreNotReported() {
    Account ann = account("mbox1", "ann@example.com");
    Account bob = account("mbox2", "bob@example.com");
    Folder projects = folder("mbox1", ann, "/Projects", 2);
    cluster.store("mbox1").grant(ann.id(), projects.id(), bob.id(), bob.name(), "rw");
    cluster.store("mbox2").mount(bob.id(), "/Ann", new Mountpoint(ann.id(), projects.id(), ann.name()));
    ShareReport r = check();
    assertEquals(List.of(), r.problems());
    assertEquals(new ShareReport.Summary(1, 1, 0, 0, 0), r.summary());
    assertTrue(r.render().contains("No broken share."), r.render());
  }

  @Test
  void granteesImportedElsewhereAreFoundByMapOrByAddressAndTheirMountpointsWaitForTheReGrant() throws Exception {
    Account ann = account("mbox1", "ann@example.com");
    Account bob = account("mbox2", "bob@example.com");
    Account carl = account("mbox2", "carl@example.com");
    Folder projects = folder("mbox1", ann, "/Projects", 2);
    cluster.store("mbox1").grant(ann.id(), projects.id(), bob.id(), bob.name(), "rw");
    cluster.store("mbox1").grant(ann.id(), projects.id(), carl.id(), carl.name(), "r");
    cluster.store("mbox2").mount(bob.id(), "/Ann", new Mountpoint(ann.id(), projects.id(), ann.name()));
    Map<String, String> ids = cluster.importAccounts(
        Map.of("bob@example.com", "mbox1", "carl@example.com", "mbox1"), List.of("carl@example.com"));

    ShareReport r = check();
    assertEquals(3, r.problems().size(), r.render());
    ShareProblem toBob = r.problems().stream().filter(p -> p.grantee().id().equals(bob.id())).findFirst().orElseThrow();
    assertEquals(Kind.GRANT, toBob.kind());
    assertEquals(Cause.GRANTEE_UNKNOWN, toBob.cause());
    assertEquals(new ShareProblem.Side(ann.id(), "ann@example.com", "mbox1"), toBob.owner());
    assertNull(toBob.grantee().server(), "the old id is on no server");
    assertEquals(Via.MAP, toBob.resolution().via());
    assertEquals("map_mbox2", toBob.resolution().file());
    assertEquals("mbox1", toBob.resolution().server());
    assertEquals(ShareFix.regrant("mbox1", ann.id(), projects.id(), bob.id(), ids.get("bob@example.com"),
        "bob@example.com", "rw"), toBob.fix());
    ShareProblem toCarl = r.problems().stream().filter(p -> p.grantee().id().equals(carl.id())).findFirst()
        .orElseThrow();
    assertEquals(Via.NAME, toCarl.resolution().via(), "carl's import wrote no map");
    assertEquals(ids.get("carl@example.com"), toCarl.fix().newGranteeId());
    assertTrue(toCarl.resolution().note().endsWith("matched by address carl@example.com"), toCarl.resolution().note());
    assertTrue(toCarl.fixText().endsWith("[by address, no map entry]"), toCarl.fixText());

    ShareProblem mount = only(r, Kind.MOUNTPOINT, "/Ann");
    assertEquals(Cause.NO_GRANT, mount.cause());
    assertEquals("mbox1", mount.server(), "bob's mountpoint now lives where bob was imported");
    assertNull(mount.fix());
    assertEquals(Via.GRANT_FIX, mount.resolution().via());
    assertTrue(mount.fixable());
    assertEquals(new ShareReport.Summary(2, 1, 3, 3, 1), r.summary());
    assertTrue(r.render().contains("grantee unknown"), r.render());
  }

  @Test
  void anOwnerImportedElsewhereIsFollowedWithItsFolderIdsFromTheSameMap() throws Exception {
    Account ann = account("mbox1", "ann@example.com");
    Account bob = account("mbox2", "bob@example.com");
    Folder projects = folder("mbox1", ann, "/Projects", 2);
    folder("mbox1", ann, "/Other", 1);
    cluster.store("mbox1").grant(ann.id(), projects.id(), bob.id(), bob.name(), "rw");
    cluster.store("mbox2").mount(bob.id(), "/Ann", new Mountpoint(ann.id(), projects.id(), ann.name()));
    // A mountpoint naming a folder the map does not know: found through the one folder ann shares with bob.
    cluster.store("mbox2").mount(bob.id(), "/Ann-old", new Mountpoint(ann.id(), 4000, ann.name()));
    Map<String, String> ids = cluster.importAccounts(Map.of("ann@example.com", "mbox2"), List.of());
    String annNew = ids.get("ann@example.com");
    int projectsNew = cluster.store("mbox2").folder(annNew, "/Projects").orElseThrow().id();
    assertTrue(projectsNew != projects.id());

    ShareReport r = check();
    assertEquals(2, r.problems().size(), r.render());
    ShareProblem m = only(r, Kind.MOUNTPOINT, "/Ann");
    assertEquals(Cause.OWNER_UNKNOWN, m.cause());
    assertEquals(Via.MAP, m.resolution().via());
    assertEquals(new ShareFix.Target(annNew, projectsNew, "ann@example.com"), m.fix().to());
    assertEquals(new ShareFix.Target(ann.id(), projects.id(), "ann@example.com"), m.fix().from());
    assertTrue(m.fixable());
    ShareProblem old = only(r, Kind.MOUNTPOINT, "/Ann-old");
    assertEquals(Via.OWNER_GRANT, old.resolution().via());
    assertEquals(projectsNew, old.fix().to().remoteFolderId());
    assertTrue(old.resolution().note().contains("the map has no entry for folder 4000"), old.resolution().note());
    assertTrue(old.fixText().endsWith("[map mbox2:map_mbox1; folder: the one ann@example.com shares with"
        + " bob@example.com]"), old.fixText());
  }

  @Test
  void aMissingFolderOfALiveOwnerIsFoundThroughTheMapOfItsOldIdOrItsOnlyGrant() throws Exception {
    Account ann = account("mbox1", "ann@example.com");
    Account bob = account("mbox2", "bob@example.com");
    cluster.store("mbox1").addMessages(ann.id(), Folder.INBOX, List.of(mail("a"), mail("b")), Set.of(), Set.of());
    Folder projects = folder("mbox1", ann, "/Projects", 1);
    cluster.store("mbox1").grant(ann.id(), projects.id(), bob.id(), bob.name(), "r");
    Map<String, String> ids = cluster.importAccounts(Map.of("ann@example.com", "mbox2"), List.of());
    String annNew = ids.get("ann@example.com");
    int projectsNew = cluster.store("mbox2").folder(annNew, "/Projects").orElseThrow().id();
    assertTrue(cluster.store("mbox2").folders(annNew).stream().noneMatch(f -> f.id() == projects.id()),
        "the old folder id is no folder of the new mailbox");
    // Half re-pointed: the owner id is new, the folder id still the old one.
    cluster.store("mbox2").mount(bob.id(), "/Half", new Mountpoint(annNew, projects.id(), "ann@example.com"));
    cluster.store("mbox2").mount(bob.id(), "/Gone", new Mountpoint(annNew, 5000, "ann@example.com"));

    ShareReport r = check();
    ShareProblem half = only(r, Kind.MOUNTPOINT, "/Half");
    assertEquals(Cause.FOLDER_MISSING, half.cause());
    assertEquals(Via.MAP, half.resolution().via());
    assertEquals(projectsNew, half.fix().to().remoteFolderId());
    ShareProblem gone = only(r, Kind.MOUNTPOINT, "/Gone");
    assertEquals(Cause.FOLDER_MISSING, gone.cause());
    assertEquals(Via.OWNER_GRANT, gone.resolution().via());
    assertEquals(projectsNew, gone.fix().to().remoteFolderId());

    Folder second = folder("mbox2", cluster.store("mbox2").account(annNew).orElseThrow(), "/Second", 0);
    cluster.store("mbox2").grant(annNew, second.id(), bob.id(), bob.name(), "r");
    gone = only(check(), Kind.MOUNTPOINT, "/Gone");
    assertFalse(gone.fixable());
    assertNull(gone.fix());
    assertTrue(gone.fixText().contains("shares 2 folders with bob@example.com"), gone.fixText());
  }

  @Test
  void sharesNothingPointsAtAreReportedAsNotFixable() {
    Account ann = account("mbox1", "ann@example.com");
    Account bob = account("mbox2", "bob@example.com");
    Folder projects = folder("mbox1", ann, "/Projects", 1);
    cluster.store("mbox1").grant(ann.id(), projects.id(), "gone-grantee-id", "nobody@example.com", "r");
    cluster.store("mbox2").mount(bob.id(), "/Ghost", new Mountpoint("gone-owner-id", 300, "ghost@example.com"));
    cluster.store("mbox2").mount(bob.id(), "/Unshared", new Mountpoint(ann.id(), projects.id(), ann.name()));

    ShareReport r = check();
    assertEquals(3, r.problems().size(), r.render());
    ShareProblem grant = only(r, Kind.GRANT, "/Projects");
    assertEquals(Cause.GRANTEE_UNKNOWN, grant.cause());
    assertFalse(grant.fixable());
    assertTrue(grant.fixText().startsWith("none: no import map names gone-grantee-id and no server has an account"
        + " nobody@example.com"), grant.fixText());
    ShareProblem ghost = only(r, Kind.MOUNTPOINT, "/Ghost");
    assertEquals(Cause.OWNER_UNKNOWN, ghost.cause());
    assertFalse(ghost.fixable());
    ShareProblem unshared = only(r, Kind.MOUNTPOINT, "/Unshared");
    assertEquals(Cause.NO_GRANT, unshared.cause());
    assertFalse(unshared.fixable());
    assertEquals("mbox1", unshared.owner().server());
    assertEquals(new ShareReport.Summary(1, 2, 3, 0, 0), r.summary());
    assertEquals(List.of(grant), r.forServer("mbox1").problems());
    assertEquals(new ShareReport.Summary(0, 2, 2, 0, 0), r.forServer("mbox2").summary());
    String text = r.render();
    assertTrue(text.contains("3 broken share(s): 0 fixable (0 without a map entry), 3 not fixable."), text);
    assertTrue(text.contains("ghost@example.com (unknown id gone-owner-id)"), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("mbox1 +grant +/Projects \\(257\\) +ann@example.com \\(mbox1\\) +"
        + "nobody@example.com \\(unknown id gone-gra\\.\\.\\.\\) +grantee unknown +none: .*")), text);
  }

  @Test
  void aServerThatCannotBeAskedFailsTheWholeCheckNamingIt() {
    ShareServers oneDown = new ShareServers() {
      @Override
      public List<String> servers() {
        return cluster.servers();
      }

      @Override
      public ServerShares facts(String server) {
        if (server.equals("mbox2")) {
          throw ErrorCode.SERVER_UNAVAILABLE.exception("server mbox2 is not reachable", "mbox2");
        }
        return cluster.facts(server);
      }

      @Override
      public List<IdRef> translate(String server, List<IdRef> refs) {
        return cluster.translate(server, refs);
      }

      @Override
      public List<FixOutcome> apply(String server, List<ShareFix> fixes) {
        return cluster.apply(server, fixes);
      }
    };
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> new ShareSurvey(oneDown).check(MapSelection.all()));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertEquals("mbox2", e.server());
    assertTrue(e.getMessage().startsWith("a share check needs every server's shares, and server mbox2 failed"),
        e.getMessage());
  }
}
