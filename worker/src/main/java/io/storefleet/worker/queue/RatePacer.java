package io.storefleet.worker.queue;

import java.time.Clock;

/**
 * Limits an operation to a number of items per second, as operators do to keep a backup from
 * starving a production mail server of I/O ({@code server.maxItemsPerSecond}).
 */
public final class RatePacer implements Pacer {
  private final double perSecond;
  private final Clock clock;
  private long windowStart = -1;
  private long inWindow;

  public RatePacer(double perSecond, Clock clock) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("items per second must be positive, got " + perSecond);
    }
    this.perSecond = perSecond;
    this.clock = clock;
  }

  /** One window's worth: a request of more would read them all at once, then wait. */
  @Override
  public int itemsAtOnce() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(perSecond)));
  }

  @Override
  public synchronized void beforeItem(OperationContext ctx) throws InterruptedException {
    long now = clock.millis();
    if (windowStart < 0 || now - windowStart >= 1000) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow + 1 > perSecond) {
      long wakeAt = windowStart + 1000;
      while (clock.millis() < wakeAt) {
        ctx.checkStopped();
        // Short waits so that a stop request is honoured within a tenth of a second.
        wait(Math.min(100, Math.max(1, wakeAt - clock.millis())));
      }
      windowStart = clock.millis();
      inWindow = 0;
    }
    inWindow++;
  }
}
