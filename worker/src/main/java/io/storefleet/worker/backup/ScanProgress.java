package io.storefleet.worker.backup;

import io.storefleet.worker.queue.OperationContext;

/**
 * Progress of a scan whose accounts run on several threads, reported as one count. Every item is
 * counted; the operation is told at most every {@link #REPORT_NANOS}, since telling it (a new
 * operation record under the queue's lock) per item cost more than comparing the item.
 */
final class ScanProgress {
  static final long REPORT_NANOS = 20_000_000L;

  private final OperationContext ctx;
  private long total = -1;
  private long done;
  private long bytes;
  private long reportedAt = System.nanoTime() - REPORT_NANOS;

  ScanProgress(OperationContext ctx) {
    this.ctx = ctx;
  }

  synchronized void total(long t) {
    total = t;
    report("scanning");
  }

  synchronized void advance(String account, long items, long readBytes) {
    done += items;
    bytes += readBytes;
    if (System.nanoTime() - reportedAt >= REPORT_NANOS) {
      report("scanning " + account);
    }
  }

  synchronized void done() {
    report("done");
  }

  private void report(String phase) {
    reportedAt = System.nanoTime();
    ctx.progress(phase, done, total, bytes);
  }
}
