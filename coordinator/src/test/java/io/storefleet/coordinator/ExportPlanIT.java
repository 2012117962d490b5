package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain spread over two of three servers: an export from one server says what it left out,
 * and a planned export takes the domain from every server that holds part of it, one part per
 * server, reported as one result.
 */
@Tag("cluster")
class ExportPlanIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 3, 1);
    api = cluster.api();
    api.admin(null, "createDomain", "acme.test").result();
    api.admin(null, "createDomain", "beta.test").result();
    Map<String, List<String>> placed = Map.of(
        "mbox1", List.of("ann@acme.test", "bob@acme.test"),
        "mbox2", List.of("cat@acme.test", "dan@acme.test", "eve@acme.test", "fin@beta.test"),
        "mbox3", List.of("gil@beta.test"));
    Path mail = Messages.folder(root.resolve("m"), "x", 3);
    placed.forEach((server, names) -> names.forEach(n -> {
      api.admin(server, "createAccount", n).result();
      api.admin(null, "injectMessages", n, mail.toString()).result();
    }));
    Files.createDirectories(root.resolve("exports/plan"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static Operation finish(Operation op) {
    await().atMost(Duration.ofSeconds(60)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  private static ImportStatus status(String plan) {
    Api.Answer a = api.get("/api/v1/exports/" + plan);
    assertEquals(200, a.status(), a.body().toString());
    return Json.fromTree(a.body(), ImportStatus.class);
  }

  @Test
  void anExportOfOneServerNamesTheServersThatHoldTheRestOfTheDomain() {
    Path dest = root.resolve("exports/one");
    Operation op = finish(api.backup("mbox1", "doExport", dest.toString(), "domains", "acme.test").result().reply()
        .operation());
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    assertEquals(2, op.stats().counter("accountsExported"));
    assertEquals(3, op.stats().counter("accountsElsewhere"));
    assertTrue(op.stats().verdict().contains("NOT in this export: 3 more account(s) of acme.test that live on other"
        + " servers (mbox2: 3)"), op.stats().verdict());
  }

  @Test
  void aPlannedExportTakesTheDomainFromEveryServerThatHoldsPartOfIt() {
    Path dest = root.resolve("exports/plan");
    Api.Answer a = api.post("/api/v1/exports", new ExportPlan(dest.toString(), Map.of("domains", "acme.test")));
    assertEquals(200, a.status(), a.body().toString());
    ImportStatus started = Json.fromTree(a.body(), ImportStatus.class);
    assertEquals("export", started.kind());
    assertEquals(2, started.parts(), "mbox3 holds no account of acme.test");
    await().atMost(Duration.ofSeconds(120)).until(() -> status(started.plan()).ended());
    ImportStatus done = status(started.plan());
    assertEquals("SUCCEEDED", done.state(), done.stats().verdict());
    assertEquals(0, done.exitCode());
    assertEquals(List.of("mbox1", "mbox2"), done.operations().stream().map(Operation::server).toList());
    assertEquals(5, done.stats().counter("accountsExported"));
    assertEquals(15, done.stats().counter("itemsExported"));
    assertEquals(0, done.stats().counter("accountsElsewhere"), "the plan's other parts hold the rest");
    for (Operation op : done.operations()) {
      assertEquals(dest + "/" + op.server(), op.params().get("destination_path"));
      assertEquals("acme.test", op.params().get("domains"), "each part names only what its server holds");
      assertFalse(op.stats().verdict().contains("NOT in this export"), op.stats().verdict());
    }
    assertTrue(Files.isDirectory(dest.resolve("mbox1")) && Files.isDirectory(dest.resolve("mbox2")));
    assertFalse(Files.exists(dest.resolve("mbox3")));
    assertTrue(done.stats().verdict().startsWith("Planned export " + done.plan() + ": SUCCEEDED"),
        done.stats().verdict());
    assertTrue(done.stats().verdict().contains("In all: 5 account(s) and 15 item(s) exported"), done.stats().verdict());
  }

  @Test
  void aPlannedExportOfADomainNoServerHoldsQueuesNothing() {
    ErrorInfo unknown = api.post("/api/v1/exports", new ExportPlan(root.resolve("exports/none").toString(),
        Map.of("domains", "acme.test,nowhere.test"))).error();
    assertEquals("NOT_FOUND", unknown.code());
    assertTrue(unknown.message().contains("no server of the cluster holds an account of nowhere.test"),
        unknown.message());

    ErrorInfo perPart = api.post("/api/v1/exports", new ExportPlan(root.resolve("exports/none").toString(),
        Map.of("domains", "acme.test", "plan_part", "1/1"))).error();
    assertEquals("BAD_VALUE", perPart.code());

    ErrorInfo noFolder = api.post("/api/v1/exports", new ExportPlan(root.resolve("exports/missing/deeper").toString(),
        Map.of("domains", "beta.test"))).error();
    assertEquals("NOT_FOUND", noFolder.code());
    assertTrue(noFolder.message().startsWith("part 1 of the export plan"), noFolder.message());
    assertTrue(noFolder.message().contains("mkdir -p"), noFolder.message());
  }
}
