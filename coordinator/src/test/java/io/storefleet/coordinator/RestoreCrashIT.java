package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.local.LocalMailStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process SIGKILLed in the middle of a restore on a new account: after the restart the
 * operation is INTERRUPTED, and running the same command again finishes it, counting what the
 * first run had committed as Skipped and the rest as Restored, with a clean verdict.
 */
@Tag("cluster")
class RestoreCrashIT {
  private static final int MESSAGES = 600;

  @TempDir Path root;

  @Test
  void aRestoreKilledHalfWayIsInterruptedAndFinishesWhenRunAgain() throws Exception {
    Path data = root.resolve("mboxr");
    seed(data.resolve("store"));
    try (TestCluster cluster = TestCluster.start(root, 0, 1)) {
      Api api = cluster.api();
      String uuid;
      try (WorkerProcess p = WorkerProcess.start("mboxr", data, root, cluster.settings(), 300,
          root.resolve("first.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> api.backup("mboxr", "getServices").status() == 200);
        Operation scan = finish(api, api.backup(null, "doAccountScan", "src@crash.test").result().reply().operation());
        assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
        uuid = api.backup(null, "doRestoreOnNewAccount", "src@crash.test", "dst@crash.test", "last")
            .result().reply().operation().uuid();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          Operation op = api.operation(uuid);
          return op.state().terminal() || op.progress().done() >= MESSAGES / 3;
        });
        assertEquals(OperationState.RUNNING, api.operation(uuid).state(), "the kill must hit the running restore");
        p.kill();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        Api.Answer a = api.backup("mboxr", "getServices");
        return a.status() != 200 && !a.error().code().equals("SERVER_TIMEOUT");
      });

      try (WorkerProcess p = WorkerProcess.start("mboxr", data, root, cluster.settings(), 0,
          root.resolve("second.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> api.backup("mboxr", "getServices").status() == 200);
        assertEquals(OperationState.INTERRUPTED, api.operation(uuid).state());
        int committed = api.admin(null, "listItems", "dst@crash.test").result().reply().result().size();
        assertTrue(committed > 0 && committed < MESSAGES, "the first run committed part of the items: " + committed);

        Operation again = finish(api, api.backup(null, "doRestoreOnNewAccount", "src@crash.test", "dst@crash.test",
            "last").result().reply().operation());
        assertEquals(OperationState.SUCCEEDED, again.state(), again.error() + " " + again.stats());
        assertEquals(committed, again.stats().counter("skipped"));
        assertEquals(MESSAGES - committed, again.stats().counter("restored"));
        assertEquals(0, again.stats().counter("unrestored"));
        assertTrue(again.stats().verdict() != null && !again.stats().verdict().isBlank());
        assertEquals(MESSAGES, api.admin(null, "listItems", "dst@crash.test").result().reply().result().size());
      }
    }
  }

  private static Operation finish(Api api, Operation op) {
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  private static void seed(Path storeDir) throws Exception {
    try (LocalMailStore store = LocalMailStore.open(storeDir, Clock.systemUTC())) {
      store.createDomain("crash.test");
      Account acc = store.createAccount("src@crash.test", null, Map.of());
      List<byte[]> mail = new ArrayList<>();
      for (int m = 0; m < MESSAGES; m++) {
        mail.add(("From: sender" + m + "@crash.test\r\nTo: src@crash.test\r\nSubject: message " + m
            + "\r\n\r\nBody of message " + m + ".\r\n").getBytes(StandardCharsets.UTF_8));
      }
      store.addMessages(acc.id(), Folder.INBOX, mail, Set.of(), Set.of());
    }
  }
}
