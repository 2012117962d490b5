package io.storefleet.protocol.operation;

/** Where a {@link Notification} is on its way to people. */
public enum DeliveryState {
  /** Kept with the operation only: no mail relay or webhook is configured (its delivery text says which). */
  RECORDED,
  /** Waiting for its first attempt. */
  PENDING,
  /** An attempt failed for a reason that may pass (SMTP 4xx, connection refused, webhook 5xx or timeout); tried again at {@code nextAttemptAt}. */
  RETRYING,
  /** Its mail waits for the recipients' daily digest (webhooks, if any, already have it). */
  DIGEST,
  /** Every target has it. */
  SENT,
  /** Given up: a permanent refusal, or the retries ran out; the delivery text gives the reason. */
  FAILED;

  /** Whether the delivery still has work to do. */
  public boolean open() {
    return this == PENDING || this == RETRYING || this == DIGEST;
  }
}
