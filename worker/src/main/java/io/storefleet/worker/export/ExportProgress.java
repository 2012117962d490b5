package io.storefleet.worker.export;

import io.storefleet.worker.queue.OperationContext;

/** An export's progress as one count of items over every account, with the phase it is in. */
final class ExportProgress {
  private final OperationContext ctx;
  private long total = -1;
  private long done;
  private long bytes;

  ExportProgress(OperationContext ctx) {
    this.ctx = ctx;
  }

  synchronized void phase(String phase) {
    ctx.progress(phase, done, total, bytes);
  }

  synchronized void total(long t) {
    total = t;
    ctx.progress("exporting accounts", done, total, bytes);
  }

  synchronized void advance(String account, long items, long readBytes) {
    done += items;
    bytes += readBytes;
    ctx.progress("exporting " + account, done, total, bytes);
  }

  synchronized void finished() {
    ctx.progress("done", done, total, bytes);
  }
}
