package io.storefleet.protocol.parse;

import io.storefleet.protocol.error.ErrorCode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * A date parameter: an instant written {@code dd/MM/yyyy HH:mm:ss}, optionally followed by a zone
 * ({@code +02:00}, {@code Z}, {@code UTC}, {@code Europe/Rome}), or one of the keywords
 * {@code first}, {@code last}, {@code all}. Without a zone the date is read in the time zone of
 * the server that runs the command, as the vendor does.
 *
 * @param keyword the keyword in lower case, or null when {@code dateTime} is set
 * @param dateTime the date and time as written, or null for a keyword
 * @param zone the zone written after it, or null for the owning server's zone
 */
public record DateArg(String keyword, LocalDateTime dateTime, ZoneId zone) {
  /** The vendor's date format. */
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm:ss", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  /** How a date parameter is written, for help and errors. */
  public static final String SYNTAX = "dd/MM/yyyy HH:mm:ss [+HH:MM|Z|zone id]";

  /** A keyword or a date in the owning server's zone. */
  public DateArg(String keyword, LocalDateTime dateTime) {
    this(keyword, dateTime, null);
  }

  /** Whether this is the given keyword. */
  public boolean is(String word) {
    return keyword != null && keyword.equalsIgnoreCase(word);
  }

  /**
   * The instant this date names, reading a date without a zone in {@code serverZone}; null for a
   * keyword.
   */
  public Instant instant(ZoneId serverZone) {
    if (dateTime == null) {
      return null;
    }
    return dateTime.atZone(zone != null ? zone : serverZone).toInstant();
  }

  /** The canonical text form. */
  @Override
  public String toString() {
    if (keyword != null) {
      return keyword;
    }
    return zone == null ? FORMAT.format(dateTime) : FORMAT.format(dateTime) + " " + zone.getId();
  }

  /**
   * Parses a canonical or typed value. Keywords are compared case-insensitively.
   *
   * @throws io.storefleet.protocol.error.StorefleetException BAD_VALUE when it is neither
   */
  public static DateArg parse(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("first") || t.equalsIgnoreCase("last") || t.equalsIgnoreCase("all")) {
      return new DateArg(t.toLowerCase(Locale.ROOT), null, null);
    }
    // dd/MM/yyyy HH:mm:ss is 19 characters; what follows is the zone.
    int end = Math.min(19, t.length());
    try {
      LocalDateTime at = LocalDateTime.parse(t.substring(0, end), FORMAT);
      String rest = t.substring(end).trim();
      return new DateArg(null, at, rest.isEmpty() ? null : ZoneId.of(rest));
    } catch (DateTimeParseException e) {
      throw ErrorCode.BAD_VALUE.exception("'" + text + "' is not a date " + SYNTAX);
    } catch (DateTimeException e) {
      throw ErrorCode.BAD_VALUE.exception("'" + text + "' has an unknown zone '" + t.substring(end).trim()
          + "'; write an offset (+02:00), Z, or a zone id (Europe/Rome)");
    }
  }
}
