package io.storefleet.worker.launch;

/** A worker that did not start, with the code its process ends with. */
public final class StartFailure extends Exception {
  private final ExitCode exitCode;

  StartFailure(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
