package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.OperationStats;

/** The work of one queued operation. It runs on the queue's own thread, never on an event loop. */
@FunctionalInterface
public interface OperationTask {
  /**
   * Does the work, reporting progress through {@code ctx} and calling {@link
   * OperationContext#checkStopped()} between units of work.
   *
   * @return the result block; an operation whose verdict is not clean must throw instead
   * @throws OperationStoppedException when stopped; any other exception makes it FAILED
   */
  OperationStats run(OperationContext ctx) throws Exception;
}
