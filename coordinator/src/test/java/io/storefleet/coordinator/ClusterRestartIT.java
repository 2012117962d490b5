package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.BackupRecords;
import io.storefleet.coordinator.testing.CoordinatorProcess;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster (one coordinator and two workers, each its own process, nothing in this JVM)
 * killed with SIGKILL at once while operations run and wait, then started in another order: the
 * directory is rebuilt from the workers' stores, queues and operation logs are intact and the
 * queued operations run, and the backups hold every record they held before.
 */
@Tag("cluster")
class ClusterRestartIT {
  private static final List<String> SERVERS = List.of("mboxa", "mboxb");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root;

  @Test
  void killedWholeAndStartedInAnotherOrderLosesNothing() throws Exception {
    ClusterSettings cluster = ClusterSettings.loopback("sf-test-" + UUID.randomUUID());
    Path token = root.resolve("admin-token");
    Map<String, List<Operation>> queues = new LinkedHashMap<>();
    Map<String, Set<String>> backups = new LinkedHashMap<>();
    Map<String, Operation> finished = new LinkedHashMap<>();

    try (WorkerProcess a = WorkerProcess.start("mboxa", data("mboxa"), root, cluster, 5, root.resolve("a1.log"));
        WorkerProcess b = WorkerProcess.start("mboxb", data("mboxb"), root, cluster, 5, root.resolve("b1.log"));
        CoordinatorProcess c = CoordinatorProcess.start(List.of(), cluster, token, root.resolve("c1.log"))) {
      Api api = c.api();
      await().until(() -> api.get("/api/v1/servers").body().size() == 2);
      api.admin(null, "createDomain", "restart.test").result();
      for (String server : SERVERS) {
        String account = account(server);
        api.admin(server, "createAccount", account).result();
        api.admin(null, "injectMessages", account, Messages.folder(root.resolve("m-" + server), server, 60).toString())
            .result();
        finished.put(server, api.backup(null, "doAccountScan", account).result().reply().operation());
      }
      for (Operation done : finished.values()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> api.operation(done.uuid()).state().terminal());
        assertEquals(OperationState.SUCCEEDED, api.operation(done.uuid()).state());
      }
      for (String server : SERVERS) {
        Operation running = api.backup(server, "doSmartScan", "deep", "true").result().reply().operation();
        api.backup(null, "doAccountScan", account(server)).result();
        api.backup(server, "doSmartScan").result();
        await().until(() -> {
          Operation op = api.operation(running.uuid());
          return op.state() == OperationState.RUNNING && op.progress().done() >= 3;
        });
      }
      for (String server : SERVERS) {
        queues.put(server, queue(api, server));
      }
      for (String server : SERVERS) {
        backups.put(server, BackupRecords.of(data(server).resolve("backup")));
      }
      // All at once: nothing of the cluster's memory survives.
      a.kill();
      b.kill();
      c.kill();
    }

    // Another order: the coordinator first, then the workers in reverse.
    try (CoordinatorProcess c = CoordinatorProcess.start(List.of(), cluster, token, root.resolve("c2.log"));
        WorkerProcess b = WorkerProcess.start("mboxb", data("mboxb"), root, cluster, 0, root.resolve("b2.log"));
        WorkerProcess a = WorkerProcess.start("mboxa", data("mboxa"), root, cluster, 0, root.resolve("a2.log"))) {
      Api api = c.api();
      await().until(() -> api.get("/api/v1/servers").body().size() == 2);
      for (String server : SERVERS) {
        assertEquals(server, api.get("/api/v1/accounts/" + account(server)).body().path("server").asText(),
            "the directory is rebuilt from " + server + "'s store");
        assertEquals(OperationState.SUCCEEDED, api.operation(finished.get(server).uuid()).state(),
            "a finished operation is found by uuid alone");
        List<Operation> before = queues.get(server);
        await().atMost(Duration.ofSeconds(120))
            .until(() -> api.operation(before.get(before.size() - 1).uuid()).state().terminal());
        List<Operation> after = queue(api, server);
        assertEquals(before.stream().map(Operation::uuid).toList(), after.stream().map(Operation::uuid).toList(),
            server + "'s queue keeps every operation in order");
        for (Operation op : after) {
          OperationState was = before.stream().filter(o -> o.uuid().equals(op.uuid())).findFirst().orElseThrow().state();
          OperationState expected = was == OperationState.RUNNING ? OperationState.INTERRUPTED
              : OperationState.SUCCEEDED;
          assertEquals(expected, op.state(), server + " " + op.command() + " was " + was + ": " + op.error());
        }
        Set<String> lost = new HashSet<>(backups.get(server));
        lost.removeAll(BackupRecords.of(data(server).resolve("backup")));
        assertEquals(Set.of(), lost, server + ": backup records committed before the kill are gone");
        Operation check = api.backup(server, "doCoherencyCheck", data(server).resolve("backup").toString())
            .result().reply().operation();
        await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(check.uuid()).state().terminal());
        assertEquals(OperationState.SUCCEEDED, api.operation(check.uuid()).state(),
            String.valueOf(api.operation(check.uuid()).error()));
      }
      assertTrue(api.admin(null, "listItems", account("mboxa")).result().reply().result().size() == 60);
    }
  }

  private Path data(String server) {
    return root.resolve(server);
  }

  private static String account(String server) {
    return "user-" + server + "@restart.test";
  }

  private static List<Operation> queue(Api api, String server) {
    return List.of(Json.fromTree(
        api.backup(server, "getAllOperations", "verbose", "true").result().reply().result(), Operation[].class));
  }
}
