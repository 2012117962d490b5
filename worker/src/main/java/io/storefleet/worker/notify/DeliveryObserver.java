package io.storefleet.worker.notify;

/**
 * Told of every delivery attempt's result, e.g. to count notification deliveries by result in the
 * metrics; called on the delivery thread, must not block.
 */
@FunctionalInterface
public interface DeliveryObserver {

  /** What one attempt at one target came to. */
  enum Result {
    /** The target has the notice. */
    SENT,
    /** A temporary failure; it is tried again later. */
    RETRYING,
    /** Given up: a permanent refusal or the last retry failed. */
    FAILED
  }

  /** One attempt at one target, by channel: {@code mail}, {@code digest} or {@code webhook}. */
  void delivered(String channel, Result result);

  DeliveryObserver NONE = (channel, result) -> {};
}
