package io.storefleet.worker.restore.raw;

import io.storefleet.worker.queue.OperationContext;

/** Progress counted in items (folders included) over the whole operation. */
final class ItemProgress {
  private final OperationContext ctx;
  private final String phase;
  private final long total;
  private long done;

  ItemProgress(OperationContext ctx, String phase, long total) {
    this.ctx = ctx;
    this.phase = phase;
    this.total = total;
    ctx.progress(phase, 0, total, 0);
  }

  synchronized void advance(String where, long items) {
    done += items;
    ctx.progress(where.isEmpty() ? phase : phase + " " + where, done, total, 0);
  }
}
