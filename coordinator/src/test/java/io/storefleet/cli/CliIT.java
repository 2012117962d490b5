package io.storefleet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ServerInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storefleet CLI end to end against a started cluster, through the coordinator's HTTP API. */
@Tag("cluster")
class CliIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StorefleetCli.Environment env = new StorefleetCli.Environment(api.base(), api.token(), 20);
    int code = StorefleetCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static CompletableFuture<Run> cliAsync(String... args) {
    return CompletableFuture.supplyAsync(() -> cli(args));
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 1);
    api = cluster.api();
    assertEquals(0, cli("admin", "createDomain", "example.com").code());
    assertEquals(0, cli("--host", "mbox1", "admin", "createAccount", "alice@example.com").code());
    assertEquals(0, cli("--hostname", "mbox2", "admin", "createAccount", "bob@example.com").code());
    Path mail = Messages.folder(root.resolve("mail"), "alice", 4);
    Run inject = cli("admin", "injectMessages", "alice@example.com", mail.toString());
    assertEquals(0, inject.code(), inject.err());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @AfterEach
  void openGates() {
    cluster.worker("mbox1").gate.open();
  }

  /** Holds mbox1's queue with a running deep scan; returns its uuid. */
  private static String holdQueue() {
    cluster.worker("mbox1").gate.shut();
    String uuid = api.backup("mbox1", "doSmartScan", "deep", "true").result().reply().operation().uuid();
    await().until(() -> api.operation(uuid).state() == OperationState.RUNNING);
    return uuid;
  }

  private static String queuedUuidFor(String command) {
    await().until(() -> api.backup(null, "getAllOperations").result().table().operations().stream()
        .anyMatch(o -> o.command().equals(command) && o.state() == OperationState.QUEUED));
    return api.backup(null, "getAllOperations").result().table().operations().stream()
        .filter(o -> o.command().equals(command) && o.state() == OperationState.QUEUED)
        .findFirst().orElseThrow().uuid();
  }

  @Test
  void helpNeedsNoCoordinator() {
    Run r = StorefleetCliHelp.run("help", "backup", "doundelete");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("PARAMETER LIST"), r.out());
    assertTrue(r.out().contains("start_date(M)"), r.out());
    assertTrue(StorefleetCliHelp.run("help", "backup").out().contains("doRestoreOnNewAccount"));
  }

  @Test
  void badInputExitsWithUsageAndNamesTheFix() {
    Run r = cli("backup", "doAcountScan", "alice@example.com");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("did you mean doAccountScan?"), r.err());
    assertEquals(ExitCodes.NO_USER, cli("backup", "doAccountScan", "ghost@example.com").code());
  }

  @Test
  void syncSucceededExitsZeroWithTheStatsBlock() {
    Run r = cli("--sync", "backup", "doAccountScan", "alice@example.com");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("SUCCEEDED"), r.out());
    assertTrue(r.out().contains("- stats -"), r.out());
  }

  @Test
  void progressPrintsItemsPercentAndTheEnd() {
    Run r = cli("--progress", "--host", "mbox1", "backup", "doSmartScan", "deep", "true");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("items"), r.out());
    assertTrue(r.out().contains("100%"), r.out());
  }

  @Test
  void broadcastSmartScanWithSyncWaitsForEveryServer() {
    Run r = cli("--sync", "--host", "all_servers", "backup", "doSmartScan");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("== mbox1"), r.out());
    assertTrue(r.out().contains("== mbox2"), r.out());
  }

  @Test
  void syncFailedExitsOne() {
    String hold = holdQueue();
    cli("--host", "mbox1", "admin", "createAccount", "zed@example.com");
    CompletableFuture<Run> waiting = cliAsync("--sync", "backup", "doAccountScan", "zed@example.com");
    queuedUuidFor("doAccountScan");
    assertEquals(0, cli("admin", "deleteAccount", "zed@example.com").code());
    cluster.worker("mbox1").gate.open();
    Run r = waiting.join();
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAILED"), r.out());
    assertEquals(OperationState.SUCCEEDED, api.operation(hold).state());
  }

  @Test
  void syncStoppedExitsTwo() {
    cluster.worker("mbox1").gate.shut();
    CompletableFuture<Run> waiting = cliAsync("--sync", "--host", "mbox1", "backup", "doSmartScan", "deep", "true");
    await().until(() -> api.backup(null, "getAllOperations").result().table().operations().stream()
        .anyMatch(o -> o.state() == OperationState.RUNNING));
    String uuid = api.backup(null, "getAllOperations").result().table().operations().stream()
        .filter(o -> o.state() == OperationState.RUNNING).findFirst().orElseThrow().uuid();
    assertEquals(0, cli("backup", "doStopOperation", uuid).code());
    assertEquals(2, waiting.join().code());
  }

  @Test
  void syncRemovedExitsThree() {
    String hold = holdQueue();
    CompletableFuture<Run> waiting = cliAsync("--sync", "backup", "doAccountScan", "alice@example.com");
    String queued = queuedUuidFor("doAccountScan");
    assertEquals(0, cli("backup", "doStopOperation", queued).code());
    assertEquals(3, waiting.join().code());
    cluster.worker("mbox1").gate.open();
    await().until(() -> api.operation(hold).state().terminal());
  }

  @Test
  void syncInterruptedExitsFourAcrossAWorkerRestart() throws Exception {
    cluster.worker("mbox1").gate.shut();
    CompletableFuture<Run> waiting = cliAsync("--sync", "--host", "mbox1", "backup", "doSmartScan", "deep", "true");
    await().until(() -> api.backup(null, "getAllOperations").result().table().operations().stream()
        .anyMatch(o -> o.state() == OperationState.RUNNING));
    cluster.stopWorker("mbox1");
    cluster.startWorker("mbox1");
    Run r = waiting.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(4, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("INTERRUPTED"), r.out());
  }

  @Test
  void jsonServersAndWhereis() throws Exception {
    Run r = cli("--json", "backup", "doAccountScan", "bob@example.com");
    assertEquals(0, r.code());
    Operation op = Json.fromTree(Json.MAPPER.readTree(r.out()).path("reply").path("operation"), Operation.class);
    assertEquals("mbox2", op.server());
    Run servers = cli("servers");
    assertTrue(servers.out().contains("mbox1") && servers.out().contains("mbox2"), servers.out());
    Run where = cli("whereis", "bob@example.com");
    assertEquals("bob@example.com is on mbox2", where.out().substring(0, where.out().indexOf(" (id")));
    await().atMost(Duration.ofSeconds(20)).until(() -> api.operation(op.uuid()).state().terminal());
  }
  /** Issue 15: the listing shows what the console's Servers page shows, as the API says it. */
  @Test
  void serversShowsEachServersQueueRunningOperationAndLastReport() throws Exception {
    String running = holdQueue();
    for (String s : new String[] {"mbox1", "mbox2"}) {
      cluster.worker(s).worker().metrics().refresh();
    }
    await().until(() -> java.util.Arrays.stream(Json.fromTree(api.get("/api/v1/servers").body(), ServerInfo[].class))
        .allMatch(s -> s.health() != null));
    // Reports come every 15 s: both are read again until they agree.
    await().untilAsserted(() -> {
      Run r = cli("servers");
      assertEquals(0, r.code(), r.err());
      for (ServerInfo s : Json.fromTree(api.get("/api/v1/servers").body(), ServerInfo[].class)) {
        String block = r.out().substring(r.out().indexOf(s.serverId() + ": "));
        assertTrue(block.startsWith(s.serverId() + ": up\n  store           local, " + s.accounts() + " account(s)\n"),
            block);
        assertTrue(block.contains("\n  reported        " + s.health().at().truncatedTo(
            java.time.temporal.ChronoUnit.SECONDS) + "\n"), block);
        assertTrue(block.contains("\n  backup path     " + s.backupPath() + "\n"), block);
      }
      assertTrue(r.out().contains("\n  running         doSmartScan ") && r.out().contains(", op " + running + "\n"),
          r.out());
      assertTrue(r.out().lines().allMatch(l -> l.length() <= 100 || l.contains("backup path")), r.out());
    });
    com.fasterxml.jackson.databind.JsonNode json = Json.MAPPER.readTree(cli("--json", "servers").out());
    assertEquals(api.get("/api/v1/servers").body().size(), json.size());
    for (com.fasterxml.jackson.databind.JsonNode s : json) {
      assertTrue(s.path("health").has("scannerLagEntries") && s.path("reachable").asBoolean(), s.toString());
    }
    cluster.worker("mbox1").gate.open();
    await().atMost(Duration.ofSeconds(30)).until(() -> api.operation(running).state().terminal());
  }

  /** Issue 18, item 7: the account count follows provisioning, not the 30 s directory refresh. */
  @Test
  void serversCountsAccountsAsSoonAsTheyAreProvisioned() {
    int before = accountsOn("mbox2");
    assertEquals(0, cli("--host", "mbox2", "admin", "createAccount", "carol@example.com").code());
    await().atMost(Duration.ofSeconds(5)).until(() -> accountsOn("mbox2") == before + 1);
    assertEquals(0, cli("admin", "deleteAccount", "carol@example.com").code());
    await().atMost(Duration.ofSeconds(5)).until(() -> accountsOn("mbox2") == before);
  }

  private static int accountsOn(String server) {
    for (ServerInfo s : Json.fromTree(api.get("/api/v1/servers").body(), ServerInfo[].class)) {
      if (s.serverId().equals(server)) {
        return s.accounts();
      }
    }
    throw new AssertionError(server + " is not listed");
  }

  @Test
  void importMirrorWithSyncWaitsForThePlanAndShowsItsStatus() throws Exception {
    Path export = root.resolve("exports/old9");
    java.nio.file.Files.createDirectories(export.getParent());
    try (io.storefleet.worker.testing.ServerFixture old =
        new io.storefleet.worker.testing.ServerFixture(root.resolve("old"), "old9", java.util.List.of(root))) {
      old.store.createDomain("z.example");
      var zed = old.account("zed@z.example");
      old.store.addMessages(zed.id(), io.storefleet.worker.store.Folder.INBOX,
          java.util.List.of(io.storefleet.worker.testing.ServerFixture.message("hi", "there")), java.util.Set.of(),
          java.util.Set.of());
      assertEquals(OperationState.SUCCEEDED, old.run("doExport", "destination_path", export.toString()).state());
    }
    Run run = cli("--sync", "import", "mirror", export + "=mbox2", "concurrent_accounts", "2");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("(mirror, 1 part(s)): SUCCEEDED (exit 0)"), run.out());
    assertTrue(run.out().contains("Restored Items: 1"), run.out());
    String plan = run.out().lines().filter(l -> l.startsWith("plan ")).findFirst().orElseThrow().split(" ")[1];
    Run status = cli("import", "status", plan);
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().startsWith("plan " + plan + " (mirror, 1 part(s)): SUCCEEDED"), status.out());
    assertTrue(cli("whereis", "zed@z.example").out().contains("is on mbox2"));
    assertEquals(64, cli("import", "sideways").code());
  }

  @Test
  void exportWithSyncTakesTheDomainFromEveryServerThatHoldsPartOfIt() throws Exception {
    Path dest = root.resolve("exports/both");
    java.nio.file.Files.createDirectories(dest);
    Run run = cli("--sync", "export", dest.toString(), "domains", "example.com");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("(export, 2 part(s)): SUCCEEDED (exit 0)"), run.out());
    assertTrue(run.out().contains(dest.resolve("mbox1").toString()) && run.out().contains(dest.resolve("mbox2")
        .toString()), run.out());
    assertTrue(run.out().contains("Accounts Exported: 2"), run.out());
    String plan = run.out().lines().filter(l -> l.startsWith("plan ")).findFirst().orElseThrow().split(" ")[1];
    Run status = cli("export", "status", plan);
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().startsWith("plan " + plan + " (export, 2 part(s)): SUCCEEDED"), status.out());
    Run usage = cli("export");
    assertEquals(64, usage.code());
    assertTrue(usage.err().contains("export <destination_path>"), usage.err());
  }
}
