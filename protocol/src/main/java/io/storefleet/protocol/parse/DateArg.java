package io.storefleet.protocol.parse;

import io.storefleet.protocol.error.ErrorCode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * A date parameter: an instant written {@code dd/MM/yyyy HH:mm:ss}, or one of the keywords
 * {@code first}, {@code last}, {@code all}.
 *
 * @param keyword the keyword in lower case, or null when {@code dateTime} is set
 * @param dateTime the instant, in the server's local time, or null for a keyword
 */
public record DateArg(String keyword, LocalDateTime dateTime) {
  /** The vendor's date format. */
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm:ss", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  /** Whether this is the given keyword. */
  public boolean is(String word) {
    return keyword != null && keyword.equalsIgnoreCase(word);
  }

  /** The canonical text form. */
  @Override
  public String toString() {
    return keyword != null ? keyword : FORMAT.format(dateTime);
  }

  /**
   * Parses a canonical or typed value. Keywords are compared case-insensitively.
   *
   * @throws io.storefleet.protocol.error.StorefleetException BAD_VALUE when it is neither
   */
  public static DateArg parse(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("first") || t.equalsIgnoreCase("last") || t.equalsIgnoreCase("all")) {
      return new DateArg(t.toLowerCase(Locale.ROOT), null);
    }
    try {
      return new DateArg(null, LocalDateTime.parse(t, FORMAT));
    } catch (DateTimeParseException e) {
      throw ErrorCode.BAD_VALUE.exception("'" + text + "' is not a date dd/MM/yyyy HH:mm:ss");
    }
  }
}
