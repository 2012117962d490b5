package io.storefleet.worker.restore;

import io.storefleet.worker.queue.OperationContext;

/** A restore's progress: the phase, items done out of the plan, and content bytes written. */
final class RestoreProgress {
  private final OperationContext ctx;
  private String phase = "starting";
  private long done;
  private long total = -1;
  private long bytes;

  RestoreProgress(OperationContext ctx) {
    this.ctx = ctx;
  }

  void phase(String name, long totalItems) {
    phase = name;
    done = 0;
    total = totalItems;
    report();
  }

  void item(long contentBytes) {
    done++;
    bytes += contentBytes;
    report();
  }

  private void report() {
    ctx.progress(phase, done, total, bytes);
  }
}
