package io.storefleet.worker.requests;

import java.time.Duration;

/**
 * How long a server keeps request ids: ids older than {@code age}, and the oldest beyond the
 * newest {@code max}, are forgotten when {@code requests.log} is compacted (at start and after
 * every {@code max} new records). A request repeated after its id was forgotten runs as new.
 *
 * @param age the longest an id is kept
 * @param max the most ids kept
 */
public record Retention(Duration age, int max) {
  /** One day, and 10,000 ids: far longer than any client retries, and a few MB at most. */
  public static final Retention DEFAULT = new Retention(Duration.ofHours(24), 10_000);

  public Retention {
    if (age.isNegative() || age.isZero() || max < 1) {
      throw new IllegalArgumentException("a request id retention needs a positive age and max, got " + age + ", " + max);
    }
  }
}
