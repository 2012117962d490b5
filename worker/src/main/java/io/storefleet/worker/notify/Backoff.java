package io.storefleet.worker.notify;

import java.time.Duration;

/**
 * When a notice whose delivery failed for a temporary reason is tried again: after {@code first},
 * then each wait {@code factor} times longer, at most {@code max}; after {@code attempts} attempts
 * in all it is given up as FAILED with the last reason.
 */
public record Backoff(Duration first, double factor, Duration max, int attempts) {

  /** Eight attempts over about two hours: 1, 2, 4, 8, 16, 32 and 60 minutes apart. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMinutes(1), 2.0, Duration.ofHours(1), 8);

  public Backoff {
    if (attempts < 1 || factor < 1.0 || first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs attempts >= 1, factor >= 1 and first <= max; got "
          + attempts + ", " + factor + ", " + first + ", " + max);
    }
  }

  /** The wait after the {@code attempt}th failed attempt (1 for the first). */
  public Duration after(int attempt) {
    double millis = first.toMillis() * Math.pow(factor, Math.max(0, attempt - 1));
    return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
  }
}
