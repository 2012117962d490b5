package io.storefleet.coordinator.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One round of a fault that cuts a worker off for a while (SIGSTOP, a link down), with a running
 * and two queued operations on it: the worker is dropped, the fault lasts its full length, and
 * after the fault ends routed commands reach the worker again within {@link #REJOIN_BOUND}, its
 * account is found in the directory, and its queue ran on in order, each operation once.
 */
public final class FaultRound {
  /** The bound on the time from the fault's end to the first routed command served. */
  public static final Duration REJOIN_BOUND = Duration.ofSeconds(30);

  /** What is done to the worker. */
  public interface Fault {
    void begin() throws Exception;

    void end() throws Exception;
  }

  private FaultRound() {}

  /**
   * Runs the round against {@code server}, which owns {@code account} and writes {@code opLog}.
   *
   * @return the time from the fault's end to the first routed command served
   */
  public static Duration run(Api api, String server, String account, Path opLog, Fault fault, Duration length)
      throws Exception {
    Operation running = api.backup(server, "doSmartScan", "deep", "true").result().reply().operation();
    Operation queued1 = api.backup(null, "doAccountScan", account).result().reply().operation();
    Operation queued2 = api.backup(server, "doSmartScan").result().reply().operation();
    await().until(() -> {
      Operation op = api.operation(running.uuid());
      return op.state().terminal() || op.progress().done() >= 3;
    });

    long begunAt = System.nanoTime();
    fault.begin();
    // Dropped: answers name the server as unavailable instead of waiting.
    await().atMost(length.plusSeconds(30)).until(() -> {
      Api.Answer a = api.admin(null, "listItems", account);
      return a.status() != 200 && a.error().code().equals("SERVER_UNAVAILABLE");
    });
    sleepRest(length, begunAt);
    fault.end();
    long endedAt = System.nanoTime();
    await().atMost(REJOIN_BOUND.multipliedBy(2)).pollInterval(Duration.ofMillis(200))
        .until(() -> api.admin(null, "listItems", account).status() == 200);
    Duration rejoin = Duration.ofNanos(System.nanoTime() - endedAt);

    assertEquals(server, api.get("/api/v1/accounts/" + account).body().path("server").asText());
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(queued2.uuid()).state().terminal());
    Operation first = api.operation(running.uuid());
    assertTrue(Set.of(OperationState.SUCCEEDED, OperationState.INTERRUPTED).contains(first.state()),
        "the operation running during the fault ended " + first.state() + ": " + first.error());
    assertEquals(OperationState.SUCCEEDED, api.operation(queued1.uuid()).state());
    assertEquals(OperationState.SUCCEEDED, api.operation(queued2.uuid()).state());
    assertTrue(api.operation(queued1.uuid()).startedAt().isBefore(api.operation(queued2.uuid()).startedAt()));
    Map<String, Long> starts = OperationLogs.startsByOperation(opLog);
    for (String uuid : List.of(running.uuid(), queued1.uuid(), queued2.uuid())) {
      assertEquals(1L, starts.get(uuid), "operation " + uuid + " started " + starts.get(uuid) + " times");
    }
    return rejoin;
  }

  /** The fault itself: it lasts its whole {@code length}, counted from {@code begunAt} (nanoTime). */
  public static void sleepRest(Duration length, long begunAt) throws InterruptedException {
    long left = length.toNanos() - (System.nanoTime() - begunAt);
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }
}
