package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.ServerResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker process killed with SIGKILL mid-operation and started again on the same disk. */
@Tag("cluster")
class ProcessRestartIT {
  @TempDir Path root;

  @Test
  void queueLogAndStoreSurviveSigkill() throws Exception {
    try (TestCluster cluster = TestCluster.start(root, 1, 1)) {
      Api api = cluster.api();
      Path data = root.resolve("mboxp");
      Operation done;
      Operation running;
      Operation queued1;
      Operation queued2;
      try (WorkerProcess p = WorkerProcess.start("mboxp", data, root, cluster.settings(), 20, root.resolve("p1.log"))) {
        await().until(() -> api.get("/api/v1/servers").body().size() == 2);
        api.admin(null, "createDomain", "example.com").result();
        api.admin("mboxp", "createAccount", "erin@example.com").result();
        api.admin(null, "injectMessages", "erin@example.com", Messages.folder(root.resolve("m"), "erin", 40).toString()).result();

        done = api.backup("mboxp", "doAccountScan", "erin@example.com").result().reply().operation();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.operation(done.uuid()).state().terminal());
        assertEquals(OperationState.SUCCEEDED, api.operation(done.uuid()).state());

        running = api.backup("mboxp", "doSmartScan", "deep", "true").result().reply().operation();
        queued1 = api.backup("mboxp", "doSmartScan").result().reply().operation();
        queued2 = api.backup(null, "doAccountScan", "erin@example.com").result().reply().operation();
        await().until(() -> {
          Operation op = api.operation(running.uuid());
          return op.state() == OperationState.RUNNING && op.progress().done() >= 3;
        });
        p.kill();
      }

      // Until the cluster notices the death, requests may time out (indefinite); then they fail fast.
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        ErrorInfo e = api.backup(null, "doAccountScan", "erin@example.com").error();
        return e.code().equals("SERVER_UNAVAILABLE");
      });
      ErrorInfo down = api.backup(null, "doAccountScan", "erin@example.com").error();
      assertFalse(down.definite());
      assertEquals("mboxp", down.server());
      // A broadcast while mboxp is dead: mbox1 answers, mboxp is reported, nothing is dropped.
      ApiResult broadcast = api.backup("all_servers", "doStopAllOperations").result();
      assertEquals(List.of("mbox1", "mboxp"), broadcast.broadcast().results().stream().map(ServerResult::server).toList());
      assertTrue(broadcast.broadcast().results().get(0).ok());
      assertEquals("SERVER_UNAVAILABLE", broadcast.broadcast().results().get(1).error().code());

      try (WorkerProcess p2 = WorkerProcess.start("mboxp", data, root, cluster.settings(), 0, root.resolve("p2.log"))) {
        await().until(() -> api.get("/api/v1/operations/" + done.uuid()).status() == 200);
        assertEquals(OperationState.SUCCEEDED, api.operation(done.uuid()).state(), "finished operations are still listed");
        Operation interrupted = api.operation(running.uuid());
        assertEquals(OperationState.INTERRUPTED, interrupted.state());
        assertTrue(interrupted.error().message().contains("run it again"), interrupted.error().message());
        await().atMost(Duration.ofSeconds(30)).until(() -> api.operation(queued2.uuid()).state().terminal());
        assertEquals(OperationState.SUCCEEDED, api.operation(queued1.uuid()).state());
        assertEquals(OperationState.SUCCEEDED, api.operation(queued2.uuid()).state());
        assertTrue(api.operation(queued1.uuid()).startedAt().isBefore(api.operation(queued2.uuid()).startedAt()));

        List<Operation> all = List.of(Json.fromTree(
            api.backup("mboxp", "getAllOperations", "verbose", "true").result().reply().result(), Operation[].class));
        assertEquals(List.of(done.uuid(), running.uuid(), queued1.uuid(), queued2.uuid()),
            all.stream().map(Operation::uuid).toList());

        Api.Answer items = api.admin(null, "listItems", "erin@example.com");
        assertEquals(40, items.result().reply().result().size(), "every injected message survived");
      }
    }
  }
}
