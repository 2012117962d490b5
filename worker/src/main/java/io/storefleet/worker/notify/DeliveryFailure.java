package io.storefleet.worker.notify;

/** An attempt to hand a notice over failed; {@link #temporary()} says whether trying again may help. */
final class DeliveryFailure extends Exception {
  private final boolean temporary;

  DeliveryFailure(boolean temporary, String reason, Throwable cause) {
    super(reason, cause);
    this.temporary = temporary;
  }

  /** A refusal that may pass: SMTP 4xx, a connection refused or cut, a timeout, an HTTP 5xx, 408 or 429. */
  boolean temporary() {
    return temporary;
  }
}
