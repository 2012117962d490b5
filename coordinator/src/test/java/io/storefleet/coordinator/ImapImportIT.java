package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.SharesAfterImport;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.ServerFixture;
import io.storefleet.worker.testing.dovecot.DovecotCluster;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headline on real IMAP: three Dovecot servers (another installation, behind workers of their
 * own) whose users share folders across servers are exported with one planned export per set of
 * domains; the exports are imported by the coordinator onto three other Dovecot servers linked by
 * Dovecot's cluster sharing, once as a composite import onto two of them with the accounts
 * reshuffled and once as a mirror import three to three. Every share that crosses servers is then
 * broken; {@code doCheckShares all_servers} lists each one, one {@code doFixShares all} repairs
 * them all, the check reports none, and every grantee, logged in over IMAP on its own server,
 * lists and fetches the owner's messages. Importing again creates nothing and breaks nothing.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImapImportIT {
  /** Messages in each shared folder; each account also has one in INBOX. */
  static final int SHARED_MESSAGES = 2;

  @TempDir static Path root;
  static DovecotCluster dovecot;
  static TestCluster cluster;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    DovecotExtension.requireDovecot();
    exportOldServers();
    dovecot = DovecotCluster.start(3);
    cluster = TestCluster.start(root, 0, 1);
    for (int i = 0; i < 3; i++) {
      cluster.addWorker("mbox" + (i + 1), new StoreConfig(StoreConfig.IMAP, ImapTestClient.config(dovecot.backend(i))));
    }
    api = cluster.api();
    everyServerReachable(api, 3);
  }

  /**
   * Waits until the coordinator lists {@code n} reachable servers: on a loaded machine a member can
   * be suspected and dropped while the cluster forms, and its worker's entry is back with the next
   * publication of the directory.
   */
  private static void everyServerReachable(Api on, int n) {
    await("the coordinator lists " + n + " reachable servers").atMost(Duration.ofSeconds(120)).until(() -> {
      int reachable = 0;
      for (JsonNode s : on.get("/api/v1/servers").body()) {
        reachable += s.path("reachable").asBoolean() ? 1 : 0;
      }
      return reachable == n;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (dovecot != null) {
        dovecot.close();
      }
    }
  }

  /**
   * Old servers old1..old3, each a worker on a Dovecot of its own, in a cluster of their own (the
   * installation being left): sets {@code c} and {@code m}, each with one account in domain
   * {@code <set><i>.example} on server i and three shares across servers; each set is exported
   * from every server by one planned export into {@code exports/<set>/old<i>}.
   */
  private static void exportOldServers() throws Exception {
    List<DovecotServer> olds = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        olds.add(DovecotServer.start());
      }
      try (TestCluster old = TestCluster.start(root, 0, 1)) {
        for (int i = 1; i <= 3; i++) {
          old.addWorker("old" + i, new StoreConfig(StoreConfig.IMAP, ImapTestClient.config(olds.get(i - 1))));
        }
        Api oldApi = old.api();
        everyServerReachable(oldApi, 3);
        for (String set : List.of("c", "m")) {
          for (String name : accounts(set)) {
            String server = "old" + serverOf(name);
            oldApi.admin(server, "createAccount", name).result();
            MailStore store = old.worker(server).store();
            deliver(store, store.account(name).orElseThrow(), Folder.INBOX, 1);
          }
          for (SharesAfterImport.Share s : shares(set)) {
            MailStore ownerStore = old.worker("old" + serverOf(s.owner())).store();
            MailStore granteeStore = old.worker("old" + serverOf(s.grantee())).store();
            Account owner = ownerStore.account(s.owner()).orElseThrow();
            Account grantee = granteeStore.account(s.grantee()).orElseThrow();
            Folder f = ownerStore.createFolder(owner.id(), s.folder(), "message");
            deliver(ownerStore, owner, f.id(), SHARED_MESSAGES);
            ownerStore.grant(owner.id(), f.id(), grantee.id(), grantee.name(), "r");
            granteeStore.mount(grantee.id(), s.mount(), new Mountpoint(owner.id(), f.id(), owner.name()));
          }
          Path dest = Files.createDirectories(root.resolve("exports/" + set));
          Api.Answer a = oldApi.post("/api/v1/exports", new ExportPlan(dest.toString(),
              Map.of("domains", set + "1.example," + set + "2.example," + set + "3.example")));
          assertEquals(200, a.status(), a.body().toString());
          ImportStatus done = ended(oldApi, "/api/v1/exports/", Json.fromTree(a.body(), ImportStatus.class).plan());
          assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
          assertEquals(3, done.stats().counter("accountsExported"), done.stats().verdict());
          assertEquals(3 + 3 * SHARED_MESSAGES, done.stats().counter("itemsExported"), done.stats().verdict());
        }
      }
    } finally {
      olds.forEach(DovecotServer::stop);
    }
  }

  /** owner, owner's folder, grantee, grantee's mountpoint: each crosses two old servers. */
  private static List<SharesAfterImport.Share> shares(String set) {
    return List.of(
        new SharesAfterImport.Share("u1@" + set + "1.example", "/Shared", "v2@" + set + "2.example", "/From u1"),
        new SharesAfterImport.Share("v2@" + set + "2.example", "/Team", "u3@" + set + "3.example", "/From v2"),
        new SharesAfterImport.Share("u3@" + set + "3.example", "/Cal", "u1@" + set + "1.example", "/From u3"));
  }

  /** The accounts of a set: u1 on old1, v2 on old2, u3 on old3. */
  private static List<String> accounts(String set) {
    return shares(set).stream().map(SharesAfterImport.Share::owner).toList();
  }

  private static int serverOf(String account) {
    return account.charAt(account.indexOf('@') + 2) - '0';
  }

  private static Path export(String set, int i) {
    return root.resolve("exports/" + set + "/old" + i);
  }

  private static void deliver(MailStore store, Account a, int folderId, int n) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mail.add(ServerFixture.message(a.name() + " folder " + folderId + " message " + i, "hello " + i));
    }
    store.addMessages(a.id(), folderId, mail, Set.of(), Set.of());
  }

  private static ImportStatus ended(Api on, String base, String plan) {
    await().atMost(Duration.ofSeconds(180)).until(() -> status(on, base, plan).ended());
    return status(on, base, plan);
  }

  private static ImportStatus status(Api on, String base, String plan) {
    Api.Answer a = on.get(base + plan);
    assertEquals(200, a.status(), a.body().toString());
    return Json.fromTree(a.body(), ImportStatus.class);
  }

  private static ImportStatus planned(ImportPlan plan) {
    Api.Answer a = api.post("/api/v1/imports", plan);
    assertEquals(200, a.status(), a.body().toString());
    return ended(api, "/api/v1/imports/", Json.fromTree(a.body(), ImportStatus.class).plan());
  }

  private static String server(String account) {
    return api.get("/api/v1/accounts/" + account).body().get("server").asText();
  }

  private static JsonNode check() {
    return api.backup("all_servers", "doCheckShares").result().reply().result();
  }

  private static List<ImportPart> mirrorParts() {
    List<ImportPart> parts = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      parts.add(new ImportPart("mbox" + i, export("m", i).toString(), null, null));
    }
    return parts;
  }

  /**
   * Every grant and mountpoint of the set is listed broken, where it lives, with a fix; one fix
   * repairs them all; then each grantee opens the owner's folder through its mountpoint and over
   * IMAP on its own server.
   */
  private static void checkFixAndOpen(String set) throws Exception {
    JsonNode report = check();
    List<String> seen = new ArrayList<>();
    for (JsonNode p : report.get("problems")) {
      String owner = p.get("owner").get("name").asText();
      String grantee = p.get("grantee").get("name").asText();
      String kind = p.get("kind").asText();
      assertTrue(shares(set).stream().anyMatch(s -> s.owner().equals(owner) && s.grantee().equals(grantee)),
          "not a share of set " + set + ": " + p);
      assertEquals(kind.equals("GRANT") ? "GRANTEE_UNKNOWN" : "OWNER_UNKNOWN", p.get("cause").asText(), p.toString());
      assertEquals(server(kind.equals("GRANT") ? owner : grantee), p.get("server").asText(),
          "each object is reported where it lives: " + p);
      assertTrue(p.hasNonNull("fix"), "a fix is proposed: " + p);
      seen.add(kind + " " + owner + " " + grantee);
    }
    assertEquals(2 * shares(set).size(), new TreeSet<>(seen).size(), "every grant and every mountpoint: " + seen);
    assertEquals(seen.size(), report.get("summary").get("broken").asInt(), report.toString());
    assertEquals(seen.size(), report.get("summary").get("fixable").asInt(), report.toString());

    Operation fixed = ImapSharesIT.finish(api, api.backup("all_servers", "doFixShares", "all").result().reply()
        .operation());
    assertEquals(OperationState.SUCCEEDED, fixed.state(), fixed.error() + " " + fixed.stats());
    assertEquals(0, fixed.stats().counter("remaining"), fixed.stats().toString());
    ApiResult after = api.backup("all_servers", "doCheckShares").result();
    assertEquals(0, after.reply().result().get("summary").get("broken").asInt(), after.text());
    everyShareOpens(set);
  }

  /** Each grantee's mountpoint, and its IMAP client on its own server, show the owner's messages. */
  private static void everyShareOpens(String set) throws Exception {
    for (SharesAfterImport.Share s : shares(set)) {
      List<String> own = ImapSharesIT.subjects(api, s.owner(), s.folder());
      assertEquals(SHARED_MESSAGES, own.size(), s.toString());
      assertEquals(own, ImapSharesIT.subjects(api, s.grantee(), s.mount()), s + " through the mountpoint");
      DovecotServer granteeServer = dovecot.backend(ImapSharesIT.index(server(s.grantee())));
      granteeServer.setPassword(s.grantee(), "pw-" + s.grantee());
      assertEquals(new TreeSet<>(own), new TreeSet<>(ImapSharesIT.overImap(granteeServer, s.grantee(), s)),
          s + " over IMAP on the grantee's own server " + server(s.grantee()) + dovecot.logs());
    }
  }

  @Test
  @Order(1)
  void aCompositeImportOntoTwoDovecotServersBreaksEveryCrossServerShareAndOneFixRepairsThemAll() throws Exception {
    ImportStatus done = planned(new ImportPlan("composite", List.of(
        new ImportPart("mbox2", export("c", 1).toString(), List.of("u1@c1.example"), null),
        new ImportPart("mbox1", export("c", 2).toString(), List.of("v2@c2.example"), null),
        new ImportPart("mbox2", export("c", 3).toString(), List.of("u3@c3.example"), null)), Map.of()));
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    assertEquals(3, done.stats().counter("accountsCreated"), done.stats().verdict());
    assertEquals(3 + 3 * SHARED_MESSAGES, done.stats().counter("restoredItems"), done.stats().verdict());
    assertEquals(3, done.stats().counter("mountpointsRestored"), done.stats().verdict());
    assertEquals("mbox2", server("u1@c1.example"));
    assertEquals("mbox1", server("v2@c2.example"));
    assertEquals("mbox2", server("u3@c3.example"));
    for (String map : List.of("mbox2/map_old1", "mbox1/map_old2", "mbox2/map_old3")) {
      String[] at = map.split("/");
      assertTrue(Files.exists(cluster.worker(at[0]).config.backupPath().resolve(at[1])), map);
    }
    checkFixAndOpen("c");
  }

  @Test
  @Order(2)
  void aMirrorImportThreeToThreeDovecotServersLikewise() throws Exception {
    ImportStatus done = planned(new ImportPlan("mirror", mirrorParts(), Map.of()));
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    assertEquals(3, done.stats().counter("accountsCreated"), done.stats().verdict());
    assertEquals(3 + 3 * SHARED_MESSAGES, done.stats().counter("restoredItems"), done.stats().verdict());
    for (String a : accounts("m")) {
      assertEquals("mbox" + serverOf(a), server(a));
    }
    checkFixAndOpen("m");
  }

  @Test
  @Order(3)
  void importingTheSameSourcesAgainCreatesNothingAndBreaksNothing() throws Exception {
    ImportStatus again = planned(new ImportPlan("mirror", mirrorParts(), Map.of()));
    assertEquals("SUCCEEDED", again.state(), again.stats().verdict());
    assertEquals(0, again.stats().counter("accountsCreated"), again.stats().verdict());
    assertEquals(0, again.stats().counter("restoredItems"), again.stats().verdict());
    assertEquals(3 + 3 * SHARED_MESSAGES, again.stats().counter("skippedItems"), again.stats().verdict());
    for (String none : List.of("foldersCreated", "grantsRestored", "mountpointsRestored")) {
      assertEquals(0, again.stats().counter(none), none + ": " + again.stats());
    }

    // One account of the composite again, placed by hand (--host) on the server it went to.
    Operation one = ImapSharesIT.finish(api, api.backup("mbox2", "doExternalRestore", export("c", 1).toString(),
        "accounts", "u1@c1.example").result().reply().operation());
    assertEquals(OperationState.SUCCEEDED, one.state(), one.error() + " " + one.stats());
    assertEquals(0, one.stats().counter("accountsCreated"), one.stats().verdict());
    assertEquals(0, one.stats().counter("restoredItems"), one.stats().verdict());
    assertEquals(1 + SHARED_MESSAGES, one.stats().counter("skippedItems"), one.stats().verdict());

    assertEquals(0, check().get("summary").get("broken").asInt(), check().toString());
    everyShareOpens("c");
    everyShareOpens("m");
  }
}
