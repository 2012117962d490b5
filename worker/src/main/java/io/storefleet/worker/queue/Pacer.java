package io.storefleet.worker.queue;

/**
 * Called by tasks before each unit of work; may wait to limit the load an operation puts on the
 * mail server (see {@link RatePacer}). Waiting must end promptly when the operation is stopped.
 */
@FunctionalInterface
public interface Pacer {
  /** A pacer that never waits. */
  Pacer NONE = ctx -> {};

  void beforeItem(OperationContext ctx) throws InterruptedException;

  /**
   * The most items that should reach the mail server in one request (a FETCH of many messages),
   * so that the pace holds within about a second rather than only on average.
   */
  default int itemsAtOnce() {
    return Integer.MAX_VALUE;
  }
}
