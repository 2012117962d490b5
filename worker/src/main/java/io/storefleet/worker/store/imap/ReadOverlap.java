package io.storefleet.worker.store.imap;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Lets a pass read its next batch of messages while the last one is digested and stored: each
 * batch's work runs on a thread of its own, one batch at a time and in the order given, so it
 * sees the pass's state (the id map, the change set) exactly as if run in line, and the caller
 * touches that state only after {@link #finish}. At most two batches are held: the one being
 * worked on and the one being read. The last batch (a single one, or the last piece of batches a
 * pacer split) runs in line: nothing is read meanwhile.
 */
final class ReadOverlap implements AutoCloseable {
  /** Shared and idle threads end: a pass holds one only while it reads. */
  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "storefleet-scan-digest");
    t.setDaemon(true);
    return t;
  });

  private Future<?> pending;

  /**
   * Waits for the previous batch's work (its failure is thrown here), then starts {@code work}:
   * on a thread of its own when {@code more} batches are still to be read, else in line.
   */
  void then(Runnable work, boolean more) {
    finish();
    if (more) {
      pending = WORKERS.submit(work);
    } else {
      work.run();
    }
  }

  /** Waits for the last batch's work; a failure of it is thrown as it was thrown. */
  void finish() {
    Future<?> last = pending;
    pending = null;
    if (last == null) {
      return;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          last.get();
          return;
        } catch (InterruptedException e) {
          // The work touches the pass's state: it must end before the caller goes on.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for work still running when the pass failed; the pass's own failure is the one told. */
  @Override
  public void close() {
    try {
      finish();
    } catch (RuntimeException | Error ignored) {
      // Only reached when the caller is already throwing.
    }
  }
}
