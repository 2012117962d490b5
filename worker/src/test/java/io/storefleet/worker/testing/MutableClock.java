package io.storefleet.worker.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public static MutableClock atEpoch2026() {
    return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public void set(Instant instant) {
    now = instant;
  }

  /** Moves the clock forward and returns the new time. */
  public Instant advance(Duration d) {
    now = now.plus(d);
    return now;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this; // every use here is in UTC instants
  }
}
