package io.storefleet.worker.metrics;

import io.storefleet.fabric.metrics.MetricFamily;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.wire.ServerHealth;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The queue's meters, told of every change of an operation (as {@code OperationEvents} is):
 * submissions, ends, running times, the queue's depth, and the items and bytes of the result
 * blocks of scans and restores. It is called under the queue's lock, so it only counts.
 */
public final class OperationMetrics implements Consumer<Operation> {
  static final Set<String> SCANS = Set.of("doSmartScan", "doAccountScan");
  static final Set<String> RESTORES = Set.of("doRestoreOnNewAccount", "doUndelete", "doItemRestore",
      "doRestoreDeletedAccount", "doExternalRestore", "doRawRestore");
  static final String COHERENCY_CHECK = "doCoherencyCheck";
  static final String SMART_SCAN = "doSmartScan";

  private final NodeMetrics metrics;
  private final String server;
  /** The last state seen of every operation not ended yet. */
  private final Map<String, OperationState> live = new ConcurrentHashMap<>();
  private volatile double coherencyProblems = Double.NaN;
  private volatile ServerHealth.LastSmartScan lastSmartScan;

  public OperationMetrics(NodeMetrics metrics, String server) {
    this.metrics = metrics;
    this.server = server;
    metrics.gauge(MetricFamily.QUEUE_DEPTH, live, Map::size, server);
    metrics.gauge(MetricFamily.COHERENCY_PROBLEMS, this, m -> m.coherencyProblems, server);
    for (MetricFamily f : new MetricFamily[] {MetricFamily.SCANNED_ITEMS, MetricFamily.SCANNED_BYTES,
        MetricFamily.STORED_ITEMS, MetricFamily.STORED_BYTES, MetricFamily.RESTORED_ITEMS,
        MetricFamily.RESTORED_BYTES, MetricFamily.UNRESTORED_ITEMS}) {
      metrics.counter(f, server);
    }
  }

  /**
   * Takes in the operations a queue recovered from its log at start: the ones not ended count in
   * the depth, and the last coherency check's problems are known again.
   */
  public void recovered(Collection<Operation> operations) {
    Operation lastCheck = null;
    for (Operation op : operations) {
      if (!op.state().terminal()) {
        live.put(op.uuid(), op.state());
      } else if (COHERENCY_CHECK.equals(op.command()) && ranToEnd(op)
          && (lastCheck == null || op.endedAt().isAfter(lastCheck.endedAt()))) {
        lastCheck = op;
      } else {
        smartScanEnded(op);
      }
    }
    if (lastCheck != null) {
      coherencyProblems = lastCheck.stats().counter("problems");
    }
  }

  @Override
  public void accept(Operation op) {
    if (op.state().terminal()) {
      // Only the change that ends it counts: an ended operation may still be told of (a notice).
      if (live.remove(op.uuid()) != null) {
        ended(op);
      }
      return;
    }
    OperationState before = live.put(op.uuid(), op.state());
    if (before == null && op.state() == OperationState.QUEUED) {
      metrics.counter(MetricFamily.OPERATIONS_SUBMITTED, server, op.command()).increment();
    }
  }

  /** The last SmartScan that ended, in what the queue keeps; null when none has. */
  public ServerHealth.LastSmartScan lastSmartScan() {
    return lastSmartScan;
  }

  private void smartScanEnded(Operation op) {
    ServerHealth.LastSmartScan last = lastSmartScan;
    if (SMART_SCAN.equals(op.command()) && op.endedAt() != null
        && (last == null || !op.endedAt().isBefore(last.endedAt()))) {
      lastSmartScan = new ServerHealth.LastSmartScan(op.uuid(), op.endedAt(), op.state().name());
    }
  }

  private void ended(Operation op) {
    smartScanEnded(op);
    metrics.counter(MetricFamily.OPERATIONS_ENDED, server, op.command(), op.state().name()).increment();
    if (op.startedAt() != null && op.endedAt() != null) {
      metrics.timer(MetricFamily.OPERATION_DURATION, server, op.command())
          .record(Duration.between(op.startedAt(), op.endedAt()));
    }
    OperationStats s = op.stats();
    if (SCANS.contains(op.command())) {
      add(MetricFamily.SCANNED_ITEMS, s.counter("itemsNew") + s.counter("itemsChanged") + s.counter("itemsDeleted")
          + s.counter("itemsUnchanged"));
      add(MetricFamily.SCANNED_BYTES, s.counter("bytesRead"));
      add(MetricFamily.STORED_ITEMS, s.counter("itemsNew") + s.counter("itemsChanged") + s.counter("itemsDeleted"));
      add(MetricFamily.STORED_BYTES, s.counter("bytesStored"));
    } else if (RESTORES.contains(op.command())) {
      add(MetricFamily.RESTORED_ITEMS, s.counter("restored"));
      add(MetricFamily.RESTORED_BYTES, s.counter("bytesRestored"));
      add(MetricFamily.UNRESTORED_ITEMS, s.counter("unrestored"));
    } else if (COHERENCY_CHECK.equals(op.command()) && ranToEnd(op)) {
      coherencyProblems = s.counter("problems");
    }
  }

  /** A check that ran through (clean, fixed, or failed on what it found) has a problem count. */
  private static boolean ranToEnd(Operation op) {
    return op.stats().counters().containsKey("problems");
  }

  private void add(MetricFamily family, long n) {
    if (n > 0) {
      metrics.counter(family, server).increment(n);
    }
  }
}
