package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.CoordinatorProcess;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.OperationLogs;
import io.storefleet.coordinator.testing.RejoinReport;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.fabric.membership.ServerIdClaim;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker or coordinator process paused with SIGSTOP long enough to be dropped from the cluster
 * comes back by itself after SIGCONT: routed commands reach it (or go through it) again within
 * 30 s; a worker's directory entries and server-id claim are back, and its queue runs on in
 * order with no operation lost or run twice. One round of each
 * pause here; {@code deploy/bench/rejoin.sh} runs more through {@code storefleet.rejoin.rounds}.
 */
@Tag("cluster")
class RejoinIT {
  /** The bound on the time from resume to the first routed command served. */
  static final Duration REJOIN_BOUND = Duration.ofSeconds(30);
  private static final int ROUNDS = Integer.getInteger("storefleet.rejoin.rounds", 1);
  private static final String ACCOUNT = "rita@rejoin.test";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path root;

  @Test
  void workerPausedTenSecondsRejoinsByItself() throws Exception {
    pauseRounds(Duration.ofSeconds(10));
  }

  @Test
  void workerPausedSixtySecondsRejoinsByItself() throws Exception {
    pauseRounds(Duration.ofSeconds(60));
  }

  /** A paused coordinator serves routed commands again, through its own API, after SIGCONT. */
  @Test
  void coordinatorPausedTenSecondsRejoinsByItself() throws Exception {
    Duration pause = Duration.ofSeconds(10);
    try (TestCluster cluster = TestCluster.start(root, 1, 0);
        CoordinatorProcess c = CoordinatorProcess.start(List.of(), cluster.settings(), root.resolve("token"),
            root.resolve("c.log"))) {
      Api api = c.api();
      api.admin(null, "createDomain", "rejoin.test").result();
      api.admin("mbox1", "createAccount", ACCOUNT).result();
      for (int round = 1; round <= ROUNDS; round++) {
        int members = cluster.hazelcast().getCluster().getMembers().size();
        long pausedAt = System.nanoTime();
        c.pause();
        await().atMost(pause.plusSeconds(30))
            .until(() -> cluster.hazelcast().getCluster().getMembers().size() == members - 1);
        sleepRest(pause, pausedAt);
        c.resume();
        long resumedAt = System.nanoTime();
        await().atMost(REJOIN_BOUND.multipliedBy(2)).pollInterval(Duration.ofMillis(200))
            .until(() -> api.admin(null, "listItems", ACCOUNT).status() == 200);
        Duration rejoin = Duration.ofNanos(System.nanoTime() - resumedAt);
        RejoinReport.record("coordinator-sigstop-" + pause.toSeconds() + "s", round, rejoin);
        assertTrue(rejoin.compareTo(REJOIN_BOUND) <= 0,
            "round " + round + ": first routed command served " + rejoin.toMillis() + " ms after SIGCONT");
        await().until(() -> cluster.hazelcast().getCluster().getMembers().size() == members);
      }
    }
  }

  private void pauseRounds(Duration pause) throws Exception {
    try (TestCluster cluster = TestCluster.start(root, 1, 1)) {
      Api api = cluster.api();
      Path data = root.resolve("mboxr");
      try (WorkerProcess p = WorkerProcess.start("mboxr", data, root, cluster.settings(), 20, root.resolve("r.log"))) {
        await().until(() -> api.get("/api/v1/servers").body().size() == 2);
        api.admin(null, "createDomain", "rejoin.test").result();
        api.admin("mboxr", "createAccount", ACCOUNT).result();
        api.admin(null, "injectMessages", ACCOUNT, Messages.folder(root.resolve("m"), "rita", 60).toString())
            .result();
        for (int round = 1; round <= ROUNDS; round++) {
          Duration rejoin = pauseOnce(api, cluster.hazelcast(), p, pause, data.resolve("operations.log"));
          RejoinReport.record("sigstop-" + pause.toSeconds() + "s", round, rejoin);
          assertTrue(rejoin.compareTo(REJOIN_BOUND) <= 0,
              "round " + round + ": first routed command served " + rejoin.toMillis() + " ms after SIGCONT");
        }
      }
    }
  }

  /** One pause with a running and two queued operations; the time from resume to service. */
  private Duration pauseOnce(Api api, HazelcastInstance hz, WorkerProcess p, Duration pause, Path opLog)
      throws Exception {
    Operation running = api.backup("mboxr", "doSmartScan", "deep", "true").result().reply().operation();
    Operation queued1 = api.backup(null, "doAccountScan", ACCOUNT).result().reply().operation();
    Operation queued2 = api.backup("mboxr", "doSmartScan").result().reply().operation();
    await().until(() -> {
      Operation op = api.operation(running.uuid());
      return op.state().terminal() || op.progress().done() >= 3;
    });

    long pausedAt = System.nanoTime();
    p.pause();
    // Dropped: answers name the server as unavailable instead of waiting.
    await().atMost(pause.plusSeconds(30)).until(() -> {
      Api.Answer a = api.admin(null, "listItems", ACCOUNT);
      return a.status() != 200 && a.error().code().equals("SERVER_UNAVAILABLE");
    });
    sleepRest(pause, pausedAt);
    p.resume();
    long resumedAt = System.nanoTime();
    await().atMost(REJOIN_BOUND.multipliedBy(2)).pollInterval(Duration.ofMillis(200))
        .until(() -> api.admin(null, "listItems", ACCOUNT).status() == 200);
    Duration rejoin = Duration.ofNanos(System.nanoTime() - resumedAt);

    // The directory is whole again, the server id claimed under the worker's new member id, and
    // the queue ran on: in order, each operation once.
    assertEquals("mboxr", api.get("/api/v1/accounts/" + ACCOUNT).body().path("server").asText());
    await().until(() -> claimedByLiveMember(hz, "mboxr"));
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(queued2.uuid()).state().terminal());
    Operation first = api.operation(running.uuid());
    assertTrue(Set.of(OperationState.SUCCEEDED, OperationState.INTERRUPTED).contains(first.state()),
        "the operation running during the pause ended " + first.state() + ": " + first.error());
    assertEquals(OperationState.SUCCEEDED, api.operation(queued1.uuid()).state());
    assertEquals(OperationState.SUCCEEDED, api.operation(queued2.uuid()).state());
    assertTrue(api.operation(queued1.uuid()).startedAt().isBefore(api.operation(queued2.uuid()).startedAt()));
    Map<String, Long> starts = OperationLogs.startsByOperation(opLog);
    for (String uuid : List.of(running.uuid(), queued1.uuid(), queued2.uuid())) {
      assertEquals(1L, starts.get(uuid), "operation " + uuid + " started " + starts.get(uuid) + " times");
    }
    return rejoin;
  }

  /** The fault itself: the process stays stopped for the whole pause, counted from SIGSTOP. */
  private static void sleepRest(Duration pause, long pausedAt) throws InterruptedException {
    long left = pause.toNanos() - (System.nanoTime() - pausedAt);
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }

  private static boolean claimedByLiveMember(HazelcastInstance hz, String serverId) {
    String json = hz.<String, String>getMap(ClusterMaps.SERVER_IDS).get(serverId);
    if (json == null) {
      return false;
    }
    String holder = Json.decode(json, ServerIdClaim.class).memberId();
    return hz.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().toString().equals(holder));
  }
}
