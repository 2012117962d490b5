package io.storefleet.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.metrics.MetricFamily;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationMetricsTest {
  private final NodeMetrics metrics = new NodeMetrics();
  private final OperationMetrics ops = new OperationMetrics(metrics, "mbox1");
  private final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");

  @AfterEach
  void close() {
    metrics.close();
  }

  private Operation queued(String uuid, String command) {
    return new Operation(uuid, "mbox1", command, Map.of(), "ann", null, 1, OperationState.QUEUED, t0, null, null,
        Progress.none(t0), OperationStats.empty(), null, null);
  }

  private double counter(MetricFamily f, String... labels) {
    return metrics.counter(f, labels).count();
  }

  private double gauge(MetricFamily f) {
    return metrics.registry().get(f.meterName()).gauge().value();
  }

  @Test
  void eachOperationIsCountedOnceWhenSubmittedAndOnceWhenItEnds() {
    Operation op = queued("u1", "doSmartScan");
    ops.accept(op);
    Operation running = op.withState(OperationState.RUNNING, t0.plusSeconds(1));
    ops.accept(running);
    ops.accept(running.withProgress(Progress.none(t0.plusSeconds(2))));
    assertEquals(1, gauge(MetricFamily.QUEUE_DEPTH));
    Operation done = running.withStats(new OperationStats(Map.of("itemsNew", 3L, "itemsChanged", 1L,
        "itemsUnchanged", 6L, "bytesRead", 400L, "bytesStored", 120L), List.of(), "ok"))
        .withState(OperationState.SUCCEEDED, t0.plusSeconds(31));
    ops.accept(done);
    // A notice added after the end (a delivery state, say) is not a second end.
    ops.accept(done.withNotification(new Notification(List.of("ops@example.com"), "Operation Ended", "body",
        t0.plusSeconds(32), "recorded; not mailed")));

    assertEquals(1, counter(MetricFamily.OPERATIONS_SUBMITTED, "mbox1", "doSmartScan"));
    assertEquals(1, counter(MetricFamily.OPERATIONS_ENDED, "mbox1", "doSmartScan", "SUCCEEDED"));
    assertEquals(0, gauge(MetricFamily.QUEUE_DEPTH));
    assertEquals(10, counter(MetricFamily.SCANNED_ITEMS, "mbox1"));
    assertEquals(4, counter(MetricFamily.STORED_ITEMS, "mbox1"));
    assertEquals(400, counter(MetricFamily.SCANNED_BYTES, "mbox1"));
    assertEquals(120, counter(MetricFamily.STORED_BYTES, "mbox1"));
    var timer = metrics.timer(MetricFamily.OPERATION_DURATION, "mbox1", "doSmartScan");
    assertEquals(1, timer.count());
    assertEquals(30.0, timer.totalTime(java.util.concurrent.TimeUnit.SECONDS), 1e-9);
  }

  @Test
  void restoresCountItemsAndBytesAndARemovedOperationHasNoDuration() {
    Operation op = queued("u2", "doUndelete");
    ops.accept(op);
    ops.accept(op.withState(OperationState.RUNNING, t0).withStats(new OperationStats(
        Map.of("restored", 5L, "bytesRestored", 5000L, "unrestored", 2L), List.of(), "partly"))
        .withState(OperationState.FAILED, t0.plusSeconds(5)));
    Operation removed = queued("u3", "doUndelete");
    ops.accept(removed);
    ops.accept(removed.withState(OperationState.REMOVED, t0.plusSeconds(6)));

    assertEquals(5, counter(MetricFamily.RESTORED_ITEMS, "mbox1"));
    assertEquals(5000, counter(MetricFamily.RESTORED_BYTES, "mbox1"));
    assertEquals(2, counter(MetricFamily.UNRESTORED_ITEMS, "mbox1"));
    assertEquals(1, counter(MetricFamily.OPERATIONS_ENDED, "mbox1", "doUndelete", "FAILED"));
    assertEquals(1, counter(MetricFamily.OPERATIONS_ENDED, "mbox1", "doUndelete", "REMOVED"));
    assertEquals(1, metrics.timer(MetricFamily.OPERATION_DURATION, "mbox1", "doUndelete").count(),
        "only the one that ran has a running time");
  }

  @Test
  void recoveredOperationsCountInTheDepthAndTheLastCoherencyCheckIsKnownAgain() {
    assertTrue(Double.isNaN(gauge(MetricFamily.COHERENCY_PROBLEMS)), "unknown before any check");
    Operation older = checked("c1", 4, t0.plusSeconds(10));
    Operation newer = checked("c2", 1, t0.plusSeconds(20));
    ops.recovered(List.of(newer, older, queued("q1", "doSmartScan")));
    assertEquals(1, gauge(MetricFamily.COHERENCY_PROBLEMS));
    assertEquals(1, gauge(MetricFamily.QUEUE_DEPTH));

    Operation c4 = queued("c4", "doCoherencyCheck");
    ops.accept(c4);
    ops.accept(c4.withState(OperationState.RUNNING, t0).withStats(new OperationStats(Map.of("problems", 0L),
        List.of(), "coherent")).withState(OperationState.SUCCEEDED, t0.plusSeconds(40)));
    assertEquals(0, gauge(MetricFamily.COHERENCY_PROBLEMS));
  }

  private Operation checked(String uuid, long problems, Instant end) {
    return queued(uuid, "doCoherencyCheck").withState(OperationState.RUNNING, t0)
        .withStats(new OperationStats(Map.of("problems", problems), List.of(), "v"))
        .withState(problems == 0 ? OperationState.SUCCEEDED : OperationState.FAILED, end);
  }

  @Test
  void theLastSmartScanThatEndedIsKnownWithItsEndStateFromTheLogAndThenLive() {
    assertEquals(null, ops.lastSmartScan());
    Operation old = queued("s1", "doSmartScan").withState(OperationState.RUNNING, t0)
        .withState(OperationState.SUCCEEDED, t0.plusSeconds(60));
    Operation older = queued("s0", "doSmartScan").withState(OperationState.RUNNING, t0)
        .withState(OperationState.SUCCEEDED, t0.plusSeconds(30));
    ops.recovered(List.of(old, older, queued("s2", "doSmartScan")));
    assertEquals(new io.storefleet.protocol.wire.ServerHealth.LastSmartScan("s1", t0.plusSeconds(60), "SUCCEEDED"),
        ops.lastSmartScan());

    Operation running = queued("s2", "doSmartScan").withState(OperationState.RUNNING, t0.plusSeconds(100));
    ops.accept(running);
    ops.accept(queued("a1", "doAccountScan").withState(OperationState.SUCCEEDED, t0.plusSeconds(200)));
    assertEquals("s1", ops.lastSmartScan().uuid(), "only SmartScans count, and only once they end");
    ops.accept(running.withState(OperationState.FAILED, t0.plusSeconds(300)));
    assertEquals(new io.storefleet.protocol.wire.ServerHealth.LastSmartScan("s2", t0.plusSeconds(300), "FAILED"),
        ops.lastSmartScan());
  }
}
