package io.storefleet.worker.queue;

/** Thrown inside a running task when an operator stopped it. */
public final class OperationStoppedException extends RuntimeException {
  public OperationStoppedException(String uuid) {
    super("operation " + uuid + " stopped by request", null, false, false);
  }
}
