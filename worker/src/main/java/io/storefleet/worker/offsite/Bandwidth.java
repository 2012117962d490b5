package io.storefleet.worker.offsite;

/**
 * An upload bandwidth limit: before an object is sent, waits until the bytes sent so far fit the
 * rate since the upload began. Averaged over the upload, so one object may go faster than the
 * limit; the wait is on the operation's thread, never an event loop.
 */
public final class Bandwidth {
  /** Time and waiting; tests pass one whose waits only move its own time. */
  public interface Ticker {
    /** The real one: {@link System#nanoTime} and a sleep. */
    Ticker SYSTEM = new Ticker() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void pause(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      }
    };

    long nanoTime();

    void pause(long nanos) throws InterruptedException;
  }

  private final long bytesPerSecond;
  private final Ticker ticker;
  private final long start;
  private long sent;

  Bandwidth(long kibPerSecond, Ticker ticker) {
    this.bytesPerSecond = kibPerSecond * 1024;
    this.ticker = ticker;
    this.start = ticker.nanoTime();
  }

  void acquire(long bytes) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long due = start + (long) (sent * 1e9 / bytesPerSecond);
    long wait = due - ticker.nanoTime();
    if (wait > 0) {
      ticker.pause(wait);
    }
    sent += bytes;
  }
}
