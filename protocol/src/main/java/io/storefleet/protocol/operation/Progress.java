package io.storefleet.protocol.operation;

import java.time.Instant;

/**
 * How far a running operation has come.
 *
 * @param phase what it is doing now, e.g. "scanning accounts"
 * @param done items done
 * @param total items to do, or -1 when not known yet
 * @param bytes bytes processed
 * @param etaSeconds estimated seconds left, or -1 when unknown
 * @param updatedAt when this progress was measured
 * @param unit what {@code done} and {@code total} count, plural ("items", "accounts"); null is items
 */
public record Progress(
    String phase, long done, long total, long bytes, long etaSeconds, Instant updatedAt, String unit) {
  /** What is counted when nothing else is said. */
  public static final String ITEMS = "items";

  public Progress {
    unit = unit == null || unit.isBlank() ? ITEMS : unit;
  }

  /** Progress counting items. */
  public Progress(String phase, long done, long total, long bytes, long etaSeconds, Instant updatedAt) {
    this(phase, done, total, bytes, etaSeconds, updatedAt, ITEMS);
  }

  /** No progress yet. */
  public static Progress none(Instant at) {
    return new Progress("waiting", 0, -1, 0, -1, at);
  }

  /** Percent done, or -1 when the total is unknown. */
  public int percent() {
    if (total <= 0) {
      return total == 0 ? 100 : -1;
    }
    return (int) Math.min(100, done * 100 / total);
  }
}
