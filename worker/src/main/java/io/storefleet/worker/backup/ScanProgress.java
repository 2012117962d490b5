package io.storefleet.worker.backup;

import io.storefleet.worker.queue.OperationContext;

/** Progress of a scan whose accounts run on several threads, reported as one count. */
final class ScanProgress {
  private final OperationContext ctx;
  private long total = -1;
  private long done;
  private long bytes;

  ScanProgress(OperationContext ctx) {
    this.ctx = ctx;
  }

  synchronized void total(long t) {
    total = t;
    ctx.progress("scanning", done, total, bytes);
  }

  synchronized void advance(String account, long items, long readBytes) {
    done += items;
    bytes += readBytes;
    ctx.progress("scanning " + account, done, total, bytes);
  }

  synchronized void done() {
    ctx.progress("done", done, total, bytes);
  }
}
