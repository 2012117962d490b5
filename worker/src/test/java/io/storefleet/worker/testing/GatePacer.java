package io.storefleet.worker.testing;

import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.Pacer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pacer that holds every item until the test lets it through, so a test decides exactly when
 * an operation is running, how far it gets, and when it may finish.
 */
public final class GatePacer implements Pacer {
  private final Semaphore permits = new Semaphore(0);
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean open;
  private final int itemsAtOnce;

  /** A gate that lets a request of the server carry as many items as it asks for. */
  public GatePacer() {
    this(Integer.MAX_VALUE);
  }

  /** A gate that lets a request of the server carry at most {@code itemsAtOnce} items. */
  public GatePacer(int itemsAtOnce) {
    this.itemsAtOnce = itemsAtOnce;
  }

  @Override
  public int itemsAtOnce() {
    return itemsAtOnce;
  }

  @Override
  public void beforeItem(OperationContext ctx) throws InterruptedException {
    if (open) {
      return;
    }
    waiting.incrementAndGet();
    try {
      while (!open && !permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        ctx.checkStopped();
      }
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Lets {@code n} more items through. */
  public void release(int n) {
    permits.release(n);
  }

  /** Permits released and not yet taken. */
  public int unused() {
    return permits.availablePermits();
  }

  /** Lets everything through from now on. */
  public void open() {
    open = true;
  }

  /** Holds items again from now on. */
  public void shut() {
    open = false;
    permits.drainPermits();
  }

  /** How many threads of operations are held at the gate now. */
  public int waiting() {
    return waiting.get();
  }

  /** Whether an operation is held at the gate. */
  public boolean holding() {
    return waiting.get() > 0;
  }
}
