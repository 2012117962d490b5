package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.OperationTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("cluster")
class QueueIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api first;
  static Api second;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 2);
    first = cluster.api(0);
    second = cluster.api(1);
    first.admin(null, "createDomain", "example.com").result();
    first.admin("mbox1", "createAccount", "dora@example.com").result();
    first.admin(null, "injectMessages", "dora@example.com", Messages.folder(root.resolve("m"), "dora", 3).toString()).result();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @AfterEach
  void openGate() {
    cluster.worker("mbox1").gate.open();
  }

  @Test
  void fiftyOperationsThroughTwoCoordinatorsRunInAcceptanceOrderOneAtATime() {
    cluster.worker("mbox1").gate.shut();
    List<CompletableFuture<Api.Answer>> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Api api = i % 2 == 0 ? first : second;
      sent.add(api.submit("backup", "mbox1", "doSmartScan", "deep", "true"));
    }
    List<Operation> accepted = new ArrayList<>();
    for (CompletableFuture<Api.Answer> f : sent) {
      accepted.add(f.join().result().reply().operation());
    }
    assertEquals(50, new HashSet<>(accepted.stream().map(Operation::uuid).toList()).size(), "no duplicates");
    assertEquals(50, new HashSet<>(accepted.stream().map(Operation::seq).toList()).size(), "one position each");
    cluster.worker("mbox1").gate.open();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        accepted.stream().allMatch(o -> first.operation(o.uuid()).state().terminal()));

    List<Operation> done = new ArrayList<>();
    for (Operation o : accepted) {
      done.add(second.operation(o.uuid()));
    }
    done.sort(Comparator.comparingLong(Operation::seq));
    for (int i = 0; i < done.size(); i++) {
      assertEquals(OperationState.SUCCEEDED, done.get(i).state(), done.get(i).toString());
      if (i > 0) {
        Operation prev = done.get(i - 1);
        Operation cur = done.get(i);
        assertFalse(cur.startedAt().isBefore(prev.endedAt()),
            "operation " + cur.seq() + " started before " + prev.seq() + " ended");
      }
    }
    OperationTable a = Json.fromTree(first.get("/api/v1/operations?verbose=true").body(), OperationTable.class);
    OperationTable b = Json.fromTree(second.get("/api/v1/operations?verbose=true").body(), OperationTable.class);
    assertEquals(Json.encode(a), Json.encode(b), "two coordinators give identical answers");
    assertTrue(a.operations().stream().map(Operation::uuid).toList()
        .containsAll(accepted.stream().map(Operation::uuid).toList()));
  }

  @Test
  void stopRunningAndRemoveQueued() {
    cluster.worker("mbox1").gate.shut();
    String running = first.backup("mbox1", "doSmartScan", "deep", "true").result().reply().operation().uuid();
    String queued = first.backup("mbox1", "doAccountScan", "dora@example.com").result().reply().operation().uuid();
    await().until(() -> first.operation(running).state() == OperationState.RUNNING);

    Api.Answer removed = second.delete("/api/v1/operations/" + queued);
    assertEquals(200, removed.status(), removed.body().toString());
    assertEquals(OperationState.REMOVED, first.operation(queued).state());

    ApiResult stop = second.backup(null, "doStopOperation", running).result();
    assertTrue(stop.text().contains("asked to stop"), stop.text());
    await().until(() -> first.operation(running).state() == OperationState.STOPPED);
    assertEquals(2, first.operation(running).state().exitCode());
    assertEquals(3, first.operation(queued).state().exitCode());
  }

  @Test
  void stopAllOperationsBroadcast() {
    cluster.worker("mbox1").gate.shut();
    String a = first.backup("mbox1", "doSmartScan", "deep", "true").result().reply().operation().uuid();
    String b = first.backup("mbox1", "doSmartScan", "deep", "true").result().reply().operation().uuid();
    await().until(() -> first.operation(a).state() == OperationState.RUNNING);
    ApiResult all = second.backup("all_servers", "doStopAllOperations").result();
    assertEquals(2, all.broadcast().results().size());
    await().until(() -> first.operation(a).state() == OperationState.STOPPED);
    assertEquals(OperationState.REMOVED, first.operation(b).state());
  }

  @Test
  void monitorNeedsOnlyTheUuid() {
    String uuid = first.backup("mbox1", "doSmartScan").result().reply().operation().uuid();
    ApiResult m = second.backup(null, "monitor", uuid).result();
    assertEquals("mbox1", m.reply().server());
    assertTrue(m.text().contains(uuid), m.text());
    assertEquals("UNKNOWN_OPERATION",
        second.backup(null, "monitor", "30ed9eb9-eb28-4ca6-b65e-9940654b8601").error().code());
  }

  @Test
  void progressStreamFollowsTheOperationToItsEnd() throws Exception {
    cluster.worker("mbox1").gate.shut();
    String uuid = first.backup("mbox1", "doSmartScan", "deep", "true").result().reply().operation().uuid();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      Future<String> stream = ex.submit(() -> second.stream("/api/v1/operations/" + uuid + "/events"));
      await().until(() -> first.operation(uuid).state() == OperationState.RUNNING);
      cluster.worker("mbox1").gate.open();
      String body = stream.get();
      List<Operation> events = new ArrayList<>();
      for (String line : body.split("\n")) {
        if (line.startsWith("data: ")) {
          events.add(Json.decode(line.substring(6), Operation.class));
        }
      }
      assertTrue(events.size() >= 2, body);
      assertEquals(OperationState.SUCCEEDED, events.get(events.size() - 1).state(), body);
      assertTrue(events.stream().allMatch(e -> e.uuid().equals(uuid)));
    } finally {
      ex.shutdownNow();
    }
  }
}
