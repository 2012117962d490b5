package io.storefleet.protocol.error;

/** A failure with an {@link ErrorCode}, and the server it concerns when there is one. */
public class StorefleetException extends RuntimeException {
  private final ErrorCode code;
  private final String server;

  public StorefleetException(ErrorCode code, String message, String server) {
    super(message);
    this.code = code;
    this.server = server;
  }

  public StorefleetException(ErrorCode code, String message, String server, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.server = server;
  }

  public ErrorCode code() {
    return code;
  }

  /** The server involved, or null. */
  public String server() {
    return server;
  }

  /** This exception about {@code server}, unless it already names one. */
  public StorefleetException onServer(String server) {
    if (this.server != null) {
      return this;
    }
    return new StorefleetException(code, getMessage(), server, this);
  }
}
