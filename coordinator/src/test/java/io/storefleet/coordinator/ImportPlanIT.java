package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planned imports across a cluster of three servers: exports of old servers (made by the worker
 * code on stores of their own, as another installation would) imported by the coordinator as a
 * mirror (three to three) and as a composite (accounts reshuffled onto two servers), each
 * reported as one result.
 */
@Tag("cluster")
class ImportPlanIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;
  static final List<Path> mirrorExports = new ArrayList<>();
  static Path composite1;
  static Path composite2;
  static Path refusedSource;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(root.resolve("exports"));
    // Three old servers with a share that crosses two of them.
    String annOld;
    try (ServerFixture old1 = new ServerFixture(root.resolve("old"), "old1", List.of(root));
        ServerFixture old2 = new ServerFixture(root.resolve("old"), "old2", List.of(root));
        ServerFixture old3 = new ServerFixture(root.resolve("old"), "old3", List.of(root))) {
      List<ServerFixture> olds = List.of(old1, old2, old3);
      for (int i = 0; i < 3; i++) {
        ServerFixture o = olds.get(i);
        o.store.createDomain("m" + (i + 1) + ".example");
        for (String who : List.of("ann", "bob")) {
          Account a = o.account(who + (i + 1) + "@m" + (i + 1) + ".example");
          deliver(o, a, 3 + i);
        }
      }
      Account ann1 = old1.store.account("ann1@m1.example").orElseThrow();
      Account bob2 = old2.store.account("bob2@m2.example").orElseThrow();
      Folder shared = old1.store.createFolder(ann1.id(), "/Shared", "message");
      old1.store.grant(ann1.id(), shared.id(), bob2.id(), bob2.name(), "r");
      old2.store.mount(bob2.id(), "/Ann's", new Mountpoint(ann1.id(), shared.id(), ann1.name()));
      annOld = ann1.id();
      for (int i = 0; i < 3; i++) {
        Path dest = root.resolve("exports/old" + (i + 1));
        Operation op = olds.get(i).run("doExport", "destination_path", dest.toString());
        assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
        mirrorExports.add(dest);
      }
    }
    assertTrue(!annOld.isEmpty());
    try (ServerFixture old4 = new ServerFixture(root.resolve("old"), "old4", List.of(root));
        ServerFixture old5 = new ServerFixture(root.resolve("old"), "old5", List.of(root));
        ServerFixture old6 = new ServerFixture(root.resolve("old"), "old6", List.of(root))) {
      old4.store.createDomain("c.example");
      for (String who : List.of("c1", "c2", "c3", "c4")) {
        deliver(old4, old4.account(who + "@c.example"), 2);
      }
      old5.store.createDomain("e.example");
      for (String who : List.of("e1", "e2")) {
        deliver(old5, old5.account(who + "@e.example"), 1);
      }
      composite1 = root.resolve("exports/old4");
      composite2 = root.resolve("exports/old5");
      assertEquals(OperationState.SUCCEEDED, old4.run("doExport", "destination_path", composite1.toString()).state());
      assertEquals(OperationState.SUCCEEDED, old5.run("doExport", "destination_path", composite2.toString()).state());
      old6.store.createDomain("f.example");
      deliver(old6, old6.account("f1@f.example"), 1);
      refusedSource = root.resolve("exports/old6");
      assertEquals(OperationState.SUCCEEDED, old6.run("doExport", "destination_path", refusedSource.toString())
          .state());
    }
    cluster = TestCluster.start(root, 3, 1);
    api = cluster.api();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static void deliver(ServerFixture o, Account a, int n) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mail.add(ServerFixture.message(a.name() + " " + i, "hello " + i));
    }
    o.store.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
  }

  private static ImportStatus planned(ImportPlan plan) {
    Api.Answer a = api.post("/api/v1/imports", plan);
    assertEquals(200, a.status(), a.body().toString());
    ImportStatus started = Json.fromTree(a.body(), ImportStatus.class);
    assertEquals(plan.parts().size(), started.parts());
    assertEquals(plan.parts().size(), started.operations().size());
    await().atMost(Duration.ofSeconds(120)).until(() -> status(started.plan()).ended());
    return status(started.plan());
  }

  private static ImportStatus status(String plan) {
    Api.Answer a = api.get("/api/v1/imports/" + plan);
    assertEquals(200, a.status(), a.body().toString());
    return Json.fromTree(a.body(), ImportStatus.class);
  }

  private static String server(String account) {
    return api.get("/api/v1/accounts/" + account).body().get("server").asText();
  }

  @Test
  void aMirrorImportPutsEachExportOnItsOwnServerAndReportsOneResult() {
    List<ImportPart> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parts.add(new ImportPart("mbox" + (i + 1), mirrorExports.get(i).toString(), null, null));
    }
    ImportStatus done = planned(new ImportPlan("mirror", parts, Map.of("concurrent_accounts", "2")));
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    assertEquals(0, done.exitCode());
    assertEquals("mirror", done.kind());
    assertEquals(3, done.operations().size());
    assertEquals(List.of("mbox1", "mbox2", "mbox3"), done.operations().stream().map(Operation::server).toList());
    assertEquals(2 * (3 + 4 + 5), done.stats().counter("restoredItems"));
    assertEquals(6, done.stats().counter("accountsCreated"));
    assertTrue(done.stats().verdict().startsWith("Planned import " + done.plan() + ": SUCCEEDED"),
        done.stats().verdict());
    for (int i = 1; i <= 3; i++) {
      assertEquals("mbox" + i, server("ann" + i + "@m" + i + ".example"));
      assertEquals("mbox" + i, server("bob" + i + "@m" + i + ".example"));
      assertTrue(Files.exists(cluster.worker("mbox" + i).config.backupPath().resolve("map_old" + i)));
    }
    assertTrue(api.get("/api/v1/operations/" + done.operations().get(0).uuid()).body().toString()
        .contains("\"plan\":\"" + done.plan() + "\""));
  }

  @Test
  void aCompositeImportSpreadsAccountsOverTwoServersAndReportsOneResult() {
    ImportPlan plan = new ImportPlan("composite", List.of(
        new ImportPart("mbox2", composite1.toString(), List.of("c1@c.example", "c3@c.example"), null),
        new ImportPart("mbox3", composite1.toString(), List.of("c2@c.example", "c4@c.example"), null),
        new ImportPart("mbox3", composite2.toString(), null, List.of("e.example"))), Map.of());
    ImportStatus done = planned(plan);
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    assertEquals(3, done.parts());
    assertEquals(4 * 2 + 2, done.stats().counter("restoredItems"));
    assertEquals("mbox2", server("c1@c.example"));
    assertEquals("mbox3", server("c2@c.example"));
    assertEquals("mbox2", server("c3@c.example"));
    assertEquals("mbox3", server("c4@c.example"));
    assertEquals("mbox3", server("e1@e.example"));
    assertEquals("mbox3", server("e2@e.example"));
    assertTrue(Files.exists(cluster.worker("mbox3").config.backupPath().resolve("map_old4")));
    assertTrue(Files.exists(cluster.worker("mbox3").config.backupPath().resolve("map_old5")));
  }

  @Test
  void aPlanThatTakesAnAccountTwiceOrThatAServerRefusesQueuesNothing() {
    ErrorInfo twice = api.post("/api/v1/imports", new ImportPlan("composite", List.of(
        new ImportPart("mbox1", composite1.toString(), null, List.of("c.example")),
        new ImportPart("mbox2", composite1.toString(), List.of("c2@c.example"), null)), Map.of())).error();
    assertEquals("BAD_VALUE", twice.code());
    assertTrue(twice.message().contains("parts 1 and 2 both take account c2@c.example"), twice.message());

    ErrorInfo refused = api.post("/api/v1/imports", new ImportPlan("composite", List.of(
        new ImportPart("mbox1", refusedSource.toString(), List.of("f1@f.example"), null),
        new ImportPart("mbox2", refusedSource.toString(), List.of("nobody@f.example"), null)),
        Map.of("notifications", "ops@example.com"))).error();
    assertEquals("UNKNOWN_ACCOUNT", refused.code());
    assertTrue(refused.message().startsWith("part 2 of the import plan"), refused.message());
    assertTrue(refused.message().contains("were stopped"), refused.message());

    ErrorInfo down = api.post("/api/v1/imports", new ImportPlan("mirror", List.of(
        new ImportPart("mbox9", refusedSource.toString(), null, null)), Map.of())).error();
    assertTrue(down.code().equals("UNKNOWN_SERVER") || down.code().equals("SERVER_UNAVAILABLE"), down.toString());
  }
}
