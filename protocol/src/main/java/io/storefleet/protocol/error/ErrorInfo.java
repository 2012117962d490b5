package io.storefleet.protocol.error;

/**
 * An error as it travels on the event bus and over HTTP.
 *
 * @param code the error code name
 * @param numeric its numeric value
 * @param definite whether the request certainly did not take effect
 * @param message what went wrong, naming the object and the fix
 * @param server the server involved, or null
 */
public record ErrorInfo(String code, int numeric, boolean definite, String message, String server) {

  /** The info for an exception. */
  public static ErrorInfo of(StorefleetException e) {
    return new ErrorInfo(
        e.code().name(), e.code().code(), e.code().definite(), e.getMessage(), e.server());
  }

  /** The exception this info describes. */
  public StorefleetException toException() {
    ErrorCode c;
    try {
      c = ErrorCode.valueOf(code);
    } catch (IllegalArgumentException | NullPointerException e) {
      c = ErrorCode.fromCode(numeric);
    }
    return new StorefleetException(c, message, server);
  }
}
