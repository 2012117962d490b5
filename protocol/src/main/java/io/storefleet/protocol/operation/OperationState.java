package io.storefleet.protocol.operation;

/**
 * The lifecycle of a queued operation: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | STOPPED},
 * {@code QUEUED → REMOVED}, {@code RUNNING → INTERRUPTED}. The exit codes are the vendor CLI's
 * {@code --sync} codes.
 */
public enum OperationState {
  /** Waiting in the server's FIFO queue. */
  QUEUED(-1),
  /** The one operation the server is running. */
  RUNNING(-1),
  /** Finished and did everything it was asked. */
  SUCCEEDED(0),
  /** Finished with an error; the record says which. */
  FAILED(1),
  /** Stopped by an operator while running. */
  STOPPED(2),
  /** Removed from the queue before it ran. */
  REMOVED(3),
  /** The worker died or restarted while it ran. */
  INTERRUPTED(4);

  private final int exitCode;

  OperationState(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The {@code --sync} exit code; -1 while not finished. */
  public int exitCode() {
    return exitCode;
  }

  /** Whether no further transition can happen. */
  public boolean terminal() {
    return exitCode >= 0;
  }
}
