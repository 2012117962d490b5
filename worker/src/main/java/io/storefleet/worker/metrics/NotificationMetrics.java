package io.storefleet.worker.metrics;

import io.storefleet.fabric.metrics.MetricFamily;
import io.storefleet.fabric.metrics.NodeMetrics;
import java.util.Locale;

/**
 * The home of {@code storefleet_notification_deliveries_total}: whatever delivers a notice calls
 * {@link #delivered} once per attempt's outcome. Every channel and result is registered at zero,
 * so a rate over it is defined before the first notice.
 */
public final class NotificationMetrics {
  /** Where a notice goes. */
  public enum Channel {
    /** Mail through the SMTP relay. */
    MAIL,
    /** The daily digest mail, through the SMTP relay. */
    DIGEST,
    /** An HTTP POST to a webhook URL. */
    WEBHOOK
  }

  /** How one delivery attempt ended. */
  public enum Result {
    /** Accepted by the relay or the webhook. */
    SENT,
    /** Failed for now; it is tried again later. */
    RETRYING,
    /** Given up: it will not be tried again. */
    FAILED
  }

  private final NodeMetrics metrics;
  private final String server;

  NotificationMetrics(NodeMetrics metrics, String server) {
    this.metrics = metrics;
    this.server = server;
    for (Channel c : Channel.values()) {
      for (Result r : Result.values()) {
        metrics.counter(MetricFamily.NOTIFICATION_DELIVERIES, server, word(c), word(r));
      }
    }
  }

  /** Counts one delivery attempt's outcome. */
  public void delivered(Channel channel, Result result) {
    metrics.counter(MetricFamily.NOTIFICATION_DELIVERIES, server, word(channel), word(result)).increment();
  }

  private static String word(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
