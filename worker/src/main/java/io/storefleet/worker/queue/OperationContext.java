package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** What a running task sees: its record, its progress reporting, the stop flag and the pacer. */
public final class OperationContext {
  private final Operation operation;
  private final Clock clock;
  private final Pacer pacer;
  private final Consumer<Progress> onProgress;
  private final Consumer<Notification> onNotice;
  private final NoticeRouter router;
  private volatile boolean stopRequested;
  private final Instant started;

  OperationContext(Operation operation, Clock clock, Pacer pacer, Consumer<Progress> onProgress,
      NoticeRouter router, Consumer<Notification> onNotice) {
    this.onNotice = onNotice;
    this.router = router;
    this.operation = operation;
    this.clock = clock;
    this.pacer = pacer;
    this.onProgress = onProgress;
    this.started = clock.instant();
  }

  /** The operation being run. */
  public Operation operation() {
    return operation;
  }

  public Clock clock() {
    return clock;
  }

  /** Throws {@link OperationStoppedException} once an operator asked to stop. */
  public void checkStopped() {
    if (stopRequested) {
      throw new OperationStoppedException(operation.uuid());
    }
  }

  void requestStop() {
    stopRequested = true;
  }

  /** Whether a stop was requested. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /** Checks the stop flag, then lets the pacer hold the next item back if it must. */
  public void beforeItem() {
    checkStopped();
    try {
      pacer.beforeItem(this);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationStoppedException(operation.uuid());
    }
  }

  /**
   * As {@link #beforeItem} for items read from the server in one request: lets through at most
   * {@code wanted} of them, and no more than the pacer lets go at once; answers how many (at
   * least one), each of them paced.
   */
  public int beforeItems(int wanted) {
    int n = Math.max(1, Math.min(wanted, pacer.itemsAtOnce()));
    for (int i = 0; i < n; i++) {
      beforeItem();
    }
    return n;
  }

  /** Reports progress counting items; the ETA is derived from the rate so far. */
  public void progress(String phase, long done, long total, long bytes) {
    progress(phase, done, total, bytes, Progress.ITEMS);
  }

  /** Reports progress counting {@code unit} (plural, e.g. "accounts"). */
  public void progress(String phase, long done, long total, long bytes, String unit) {
    Instant now = clock.instant();
    long eta = -1;
    long elapsed = Duration.between(started, now).toMillis();
    if (total > 0 && done > 0 && done <= total) {
      eta = (long) Math.ceil(elapsed / 1000.0 * (total - done) / done);
    }
    onProgress.accept(new Progress(phase, done, total, bytes, eta, now, unit));
  }

  /**
   * Records a notice for the operation's recipients (nothing when the routing finds none); the
   * "Operation Ended" notice is added by the queue itself.
   */
  public void notify(String subject, String text) {
    Notification n = router.during(operation, subject, text, clock.instant());
    if (n != null) {
      onNotice.accept(n);
    }
  }
}
