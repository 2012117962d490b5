package io.storefleet.worker.backup.scan;

import io.storefleet.worker.queue.OperationContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a scan whose accounts run on several threads, reported as one count. Every item is
 * counted at once; the operation is told at most every {@link #REPORT_MILLIS}, and a count not
 * told yet is told by a timer within that time, also while the scan waits (paced by
 * {@code maxItemsPerSecond}). Telling the operation per item (a new operation record under the
 * queue's lock) cost more than comparing the item.
 */
final class ScanProgress implements AutoCloseable {
  static final long REPORT_MILLIS = 20;

  private final OperationContext ctx;
  private final ScheduledExecutorService timer;
  private long total = -1;
  private long done;
  private long bytes;
  private String account;
  private boolean untold;
  private long toldAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(REPORT_MILLIS);
  private boolean finished;

  ScanProgress(OperationContext ctx) {
    this.ctx = ctx;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "storefleet-scan-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::tellUntold, REPORT_MILLIS, REPORT_MILLIS, TimeUnit.MILLISECONDS);
  }

  synchronized void total(long t) {
    total = t;
    tell("scanning");
  }

  synchronized void advance(String account, long items, long readBytes) {
    done += items;
    bytes += readBytes;
    this.account = account;
    untold = true;
    if (System.nanoTime() - toldAt >= TimeUnit.MILLISECONDS.toNanos(REPORT_MILLIS)) {
      tell("scanning " + account);
    }
  }

  synchronized void done() {
    tell("done");
    finished = true;
    timer.shutdownNow();
  }

  private synchronized void tellUntold() {
    if (untold && !finished) {
      tell("scanning " + account);
    }
  }

  private void tell(String what) {
    untold = false;
    toldAt = System.nanoTime();
    ctx.progress(what, done, total, bytes);
  }

  @Override
  public synchronized void close() {
    finished = true;
    timer.shutdownNow();
  }
}
