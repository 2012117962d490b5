package io.storefleet.worker.offsite;

/**
 * An upload bandwidth limit: before an object is sent, waits until the bytes sent so far fit the
 * rate since the upload began. Averaged over the upload, so one object may go faster than the
 * limit; the wait is on the operation's thread, never an event loop.
 */
public final class Bandwidth {
  /** Waits; tests pass one that records instead of sleeping. */
  public interface Pause {
    void nanos(long nanos) throws InterruptedException;
  }

  private final long bytesPerSecond;
  private final Pause pause;
  private final long start;
  private long sent;

  Bandwidth(long kibPerSecond, Pause pause) {
    this.bytesPerSecond = kibPerSecond * 1024;
    this.pause = pause;
    this.start = System.nanoTime();
  }

  static Bandwidth of(long kibPerSecond) {
    return new Bandwidth(kibPerSecond, n -> Thread.sleep(n / 1_000_000, (int) (n % 1_000_000)));
  }

  void acquire(long bytes) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long due = start + (long) (sent * 1e9 / bytesPerSecond);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      pause.nanos(wait);
    }
    sent += bytes;
  }
}
