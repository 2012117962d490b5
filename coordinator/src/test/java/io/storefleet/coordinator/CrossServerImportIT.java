package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.testing.ServerFixture;
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
 * The migration the project exists for, end to end: three old servers whose accounts share
 * folders with each other across servers are exported; the exports are imported by the
 * coordinator, once as a composite import onto two servers with the accounts reshuffled and once
 * as a mirror import three to three; every share that crosses servers is then broken;
 * {@code doCheckShares all_servers} lists each one, one {@code doFixShares all} repairs them all,
 * the check then reports none, and every mountpoint opens its owner's folder with its items.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossServerImportIT {
  /** owner, owner's folder, grantee, grantee's mountpoint path: each crosses two old servers. */
  record Share(String owner, String folder, String grantee, String mount) {}

  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(root.resolve("exports"));
    oldServers("c");
    oldServers("m");
    cluster = TestCluster.start(root, 3, 1);
    api = cluster.api();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  /** {@code set}1..3: servers with accounts u and v each, and three shares across them. */
  private static void oldServers(String set) throws Exception {
    List<ServerFixture> olds = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        ServerFixture o = new ServerFixture(root.resolve("old-" + set), set + "old" + i, List.of(root));
        olds.add(o);
        o.store.createDomain(set + i + ".example");
        for (String who : List.of("u", "v")) {
          Account a = o.account(who + i + "@" + set + i + ".example");
          deliver(o, a, Folder.INBOX, 2);
        }
      }
      for (Share s : shares(set)) {
        ServerFixture ownerServer = olds.get(serverOf(s.owner()) - 1);
        ServerFixture granteeServer = olds.get(serverOf(s.grantee()) - 1);
        Account owner = ownerServer.store.account(s.owner()).orElseThrow();
        Account grantee = granteeServer.store.account(s.grantee()).orElseThrow();
        Folder f = ownerServer.store.createFolder(owner.id(), s.folder(), "message");
        deliver(ownerServer, owner, f.id(), 3);
        ownerServer.store.grant(owner.id(), f.id(), grantee.id(), grantee.name(), "r");
        granteeServer.store.mount(grantee.id(), s.mount(), new Mountpoint(owner.id(), f.id(), owner.name()));
      }
      for (int i = 1; i <= 3; i++) {
        Operation op = olds.get(i - 1).run("doExport", "destination_path", export(set, i).toString());
        assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
      }
    } finally {
      for (ServerFixture o : olds) {
        o.close();
      }
    }
  }

  private static List<Share> shares(String set) {
    return List.of(
        new Share("u1@" + set + "1.example", "/Shared", "v2@" + set + "2.example", "/From u1"),
        new Share("v2@" + set + "2.example", "/Team", "u3@" + set + "3.example", "/From v2"),
        new Share("u3@" + set + "3.example", "/Cal", "u1@" + set + "1.example", "/From u3"));
  }

  private static int serverOf(String account) {
    return account.charAt(account.indexOf('@') + 2) - '0';
  }

  private static Path export(String set, int i) {
    return root.resolve("exports/" + set + "old" + i);
  }

  private static void deliver(ServerFixture o, Account a, int folderId, int n) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mail.add(ServerFixture.message(a.name() + " folder " + folderId + " message " + i, "hello " + i));
    }
    o.store.addMessages(a.id(), folderId, mail, Set.of(), Set.of());
  }

  private static ImportStatus planned(ImportPlan plan) {
    Api.Answer a = api.post("/api/v1/imports", plan);
    assertEquals(200, a.status(), a.body().toString());
    String id = Json.fromTree(a.body(), ImportStatus.class).plan();
    await().atMost(Duration.ofSeconds(120)).until(() -> status(id).ended());
    return status(id);
  }

  private static ImportStatus status(String plan) {
    return Json.fromTree(api.get("/api/v1/imports/" + plan).body(), ImportStatus.class);
  }

  private static String server(String account) {
    return api.get("/api/v1/accounts/" + account).body().get("server").asText();
  }

  private static JsonNode check() {
    return api.backup("all_servers", "doCheckShares").result().reply().result();
  }

  private static Set<String> items(String account, String folder) {
    JsonNode items = api.admin(null, "listItems", account, "folder", folder).result().reply().result();
    Set<String> out = new TreeSet<>();
    items.forEach(i -> out.add(i.get("subject").asText() + " " + i.get("digest").asText()));
    return out;
  }

  /** Every broken share of the set is listed with its cause and a fix; one fix repairs all; none is left. */
  private static void checkFixAndOpen(String set) {
    JsonNode report = check();
    List<Share> expected = shares(set);
    List<String> seen = new ArrayList<>();
    for (JsonNode p : report.get("problems")) {
      String owner = p.get("owner").get("name").asText();
      if (!owner.endsWith(".example") || owner.charAt(owner.indexOf('@') + 1) != set.charAt(0)) {
        continue;
      }
      Share s = expected.stream().filter(x -> x.owner().equals(owner)
          && x.grantee().equals(p.get("grantee").get("name").asText())).findFirst().orElseThrow(
              () -> new AssertionError("not a share of set " + set + ": " + p));
      String kind = p.get("kind").asText();
      assertEquals(kind.equals("GRANT") ? "GRANTEE_UNKNOWN" : "OWNER_UNKNOWN", p.get("cause").asText(), p.toString());
      assertEquals(server(kind.equals("GRANT") ? s.owner() : s.grantee()), p.get("server").asText(),
          "each object is reported where it lives: " + p);
      assertTrue(p.hasNonNull("fix"), "a fix is proposed: " + p);
      seen.add(kind + " " + s.owner() + " " + s.grantee());
    }
    assertEquals(2 * expected.size(), seen.size(), "every grant and every mountpoint is broken: " + seen);
    assertEquals(report.get("summary").get("broken").asInt(), report.get("summary").get("fixable").asInt());

    ApiResult fix = api.backup(null, "doFixShares", "all").result();
    Operation op = fix.reply().operation();
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(op.uuid()).state().terminal());
    Operation fixed = api.operation(op.uuid());
    assertEquals(OperationState.SUCCEEDED, fixed.state(), fixed.error() + " " + fixed.stats());

    assertEquals(0, check().get("summary").get("broken").asInt(), check().toString());
    for (Share s : expected) {
      Set<String> owners = items(s.owner(), s.folder());
      assertEquals(3, owners.size());
      assertEquals(owners, items(s.grantee(), s.mount()), s.grantee() + "'s " + s.mount() + " opens " + s.owner()
          + "'s " + s.folder());
    }
  }

  @Test
  @Order(1)
  void aCompositeImportOntoTwoServersBreaksEveryCrossServerShareAndOneFixRepairsThemAll() {
    ImportStatus done = planned(new ImportPlan("composite", List.of(
        new ImportPart("mbox2", export("c", 1).toString(), List.of("u1@c1.example"), null),
        new ImportPart("mbox1", export("c", 1).toString(), List.of("v1@c1.example"), null),
        new ImportPart("mbox1", export("c", 2).toString(), List.of("u2@c2.example"), null),
        new ImportPart("mbox2", export("c", 2).toString(), List.of("v2@c2.example"), null),
        new ImportPart("mbox1", export("c", 3).toString(), List.of("u3@c3.example"), null),
        new ImportPart("mbox2", export("c", 3).toString(), List.of("v3@c3.example"), null)), Map.of()));
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    assertEquals("mbox2", server("u1@c1.example"));
    assertEquals("mbox1", server("u3@c3.example"));
    checkFixAndOpen("c");
  }

  @Test
  @Order(2)
  void aMirrorImportThreeToThreeLikewise() {
    List<ImportPart> parts = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      parts.add(new ImportPart("mbox" + i, export("m", i).toString(), null, null));
    }
    ImportStatus done = planned(new ImportPlan("mirror", parts, Map.of()));
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    for (int i = 1; i <= 3; i++) {
      assertEquals("mbox" + i, server("u" + i + "@m" + i + ".example"));
    }
    checkFixAndOpen("m");
  }

  @Test
  @Order(3)
  void importingTheSameSourcesAgainCreatesNothingAndBreaksNothing() {
    List<ImportPart> parts = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      parts.add(new ImportPart("mbox" + i, export("m", i).toString(), null, null));
    }
    ImportStatus again = planned(new ImportPlan("mirror", parts, Map.of()));
    assertEquals("SUCCEEDED", again.state(), again.stats().verdict());
    assertEquals(0, again.stats().counter("restoredItems"), again.stats().toString());
    assertTrue(again.stats().counter("skippedItems") > 0, again.stats().toString());
    assertEquals(0, check().get("summary").get("broken").asInt());
  }
}
