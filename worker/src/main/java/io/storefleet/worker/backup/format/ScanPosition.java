package io.storefleet.worker.backup.format;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A scan position: an {@code items.log} record (format version 4) saying that the account's item
 * states before it reflect the store at journal position {@code seq}, and that its last
 * {@code account.log} snapshot is still true there. A scan writes one instead of a snapshot when
 * only items changed: it goes in the same write as the states and is forced with them, so an
 * incremental scan costs one forced write per changed account instead of two. A reader that finds
 * the position finds the states before it (a torn write is cut from the first bad record on).
 *
 * <p>Its text is {@code pos<TAB>seq<TAB>at}; an item state starts with its numeric id, so the two
 * never look alike.
 */
public record ScanPosition(long seq, Instant at) {
  private static final String TAG = "pos\t";

  public static boolean is(String line) {
    return line.startsWith(TAG);
  }

  public String encode() {
    return TAG + seq + "\t" + at;
  }

  /** @throws IllegalArgumentException when the text is not a scan position */
  public static ScanPosition decode(String line) {
    String[] f = line.split("\t", -1);
    if (f.length < 3 || !is(line)) {
      throw new IllegalArgumentException("a scan position is pos<TAB>seq<TAB>time, not '" + line + "'");
    }
    try {
      return new ScanPosition(Long.parseLong(f[1]), Instant.parse(f[2]));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a scan position: " + e.getMessage(), e);
    }
  }
}
