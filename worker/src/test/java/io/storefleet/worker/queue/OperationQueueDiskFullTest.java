package io.storefleet.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.testing.GatePacer;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.SmallFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operation log on a full disk (a real tmpfs, as root): the runner goes on instead of dying
 * with the record it cannot write, an operation is never shown FAILED unless that is recorded
 * (else a restart would run it), and nothing runs twice after a restart.
 */
class OperationQueueDiskFullTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final GatePacer gate = new GatePacer();
  final List<String> started = Collections.synchronizedList(new ArrayList<>());
  // Records larger than a page, so that no page's slack can take one once the disk is full.
  final Map<String, String> big = Map.of("pad", "x".repeat(6000));
  final TaskFactory tasks = op -> ctx -> {
    started.add(op.uuid());
    ctx.beforeItem();
    return new OperationStats(Map.of("items", 1L), List.of(), "ok");
  };

  @Test
  void anOperationWhoseStartCannotBeRecordedWaitsQueuedAndRunsOnceAfterARestart() throws Exception {
    Path log = dir.resolve("vol/ops.log");
    try (SmallFileSystem vol = SmallFileSystem.mount(dir.resolve("vol"), 1 << 20)) {
      String a;
      String b;
      String c;
      gate.shut();
      try (OperationQueue q = new OperationQueue("mbox1", OperationLog.open(log), clock, tasks, gate, op -> {})) {
        q.start();
        a = q.submit("scan", big, "t", null).uuid();
        b = q.submit("scan", big, "t", null).uuid();
        await().until(gate::holding);
        vol.fill(0);
        gate.open();
        await().until(() -> q.get(a).orElseThrow().state() == OperationState.SUCCEEDED); // its end only in memory
        // Then the runner tried to start b and waits for the disk: a timed wait, where an idle
        // runner's has no time limit (and a is past the gate, whose wait is timed too).
        await().until(() -> q.runner().getState() == Thread.State.TIMED_WAITING);
        // Neither its start nor its failure could be recorded, so it is not shown FAILED (a
        // restart would run it): it waits, queued.
        assertEquals(OperationState.QUEUED, q.get(b).orElseThrow().state());
        assertEquals(List.of(a), started);

        vol.release();
        c = q.submit("scan", big, "t", null).uuid();
        await().until(() -> q.get(c).orElseThrow().state() == OperationState.SUCCEEDED);
        assertEquals(OperationState.SUCCEEDED, q.get(b).orElseThrow().state());
        assertEquals(List.of(a, b, c), started);
      }
      // After a restart: the one whose end was not written shows INTERRUPTED; nothing runs again.
      try (OperationQueue q = new OperationQueue("mbox1", OperationLog.open(log), clock, tasks, gate, op -> {})) {
        q.start();
        assertEquals(OperationState.INTERRUPTED, q.get(a).orElseThrow().state());
        assertEquals(OperationState.SUCCEEDED, q.get(b).orElseThrow().state());
        assertEquals(OperationState.SUCCEEDED, q.get(c).orElseThrow().state());
        assertEquals(List.of(), q.list(false));
        assertEquals(List.of(a, b, c), started);
      }
    }
  }
}
