package io.storefleet.protocol.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Dates as every output prints them: the vendor's {@code dd/MM/yyyy HH:mm:ss} followed by the
 * offset they are in, so that a reader never has to guess the zone and the text can be given
 * back as a date parameter unchanged.
 */
public final class DateText {
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm:ss xxx", Locale.ROOT);

  private DateText() {}

  /** The instant in {@code zone}, with its offset; {@code "-"} for null. */
  public static String of(Instant t, ZoneId zone) {
    return t == null ? "-" : SHOWN.format(t.atZone(zone));
  }
}
