package io.storefleet.worker.queue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationStats;

/**
 * Ends an operation as FAILED while keeping the result block of what it did, so the record shows
 * both what went wrong and what was done.
 */
public final class OperationFailure extends StorefleetException {
  private final transient OperationStats stats;

  public OperationFailure(ErrorCode code, String message, OperationStats stats) {
    super(code, message, null);
    this.stats = stats;
  }

  public OperationStats stats() {
    return stats;
  }
}
