package io.storefleet.worker.imports;

import io.storefleet.worker.queue.OperationContext;

/** An import's progress: the phase, and done/total in the unit of the phase (accounts, then items). */
final class ImportProgress {
  private final OperationContext ctx;
  private String phase = "starting";
  private long total = -1;
  private long done;
  private long bytes;

  ImportProgress(OperationContext ctx) {
    this.ctx = ctx;
  }

  synchronized void phase(String p, long totalOfPhase) {
    phase = p;
    total = totalOfPhase;
    done = 0;
    ctx.progress(phase, done, total, bytes);
  }

  synchronized void advance(long n, long addedBytes) {
    done += n;
    bytes += addedBytes;
    ctx.progress(phase, done, total, bytes);
  }
}
