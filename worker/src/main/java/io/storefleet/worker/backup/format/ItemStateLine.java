package io.storefleet.worker.backup.format;

import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The text of an {@code items.log} item state (format version 3 and 4; version 4 adds the
 * {@link ScanPosition} record beside it): one {@link ItemState} as
 * tab-separated fields, in this order:
 *
 * <pre>
 * id  seq  since  folderId  type  digest  size  flags  tags  marks  subject  from  to  [receivedAt]
 * </pre>
 *
 * {@code receivedAt} (the item's arrival, ISO-8601 UTC) is written only when known.
 *
 * {@code flags} and {@code tags} are comma-separated (empty when none), {@code marks} is {@code D}
 * (deleted), {@code B} (blobless), both, or {@code -}. Text is escaped: backslash, tab, newline and
 * carriage return as {@code \\ \t \n \r}, a comma inside a flag or tag as {@code \,}, and a
 * missing value as {@code \N}. A reader ignores fields after the thirteenth, so a later version-3
 * storefleet can add some at the end. Plain text, about a third of the JSON it replaces, and read
 * without a JSON parser (see docs/backup-format.md).
 */
public final class ItemStateLine {
  static final int FIELDS = 13;
  private static final String NULL = "\\N";

  private ItemStateLine() {}

  public static String encode(ItemState s) {
    StringBuilder b = new StringBuilder(160);
    b.append(s.id()).append('\t').append(s.seq()).append('\t');
    text(b, s.since() == null ? null : s.since().toString(), false);
    b.append('\t').append(s.folderId()).append('\t');
    text(b, s.type() == null ? null : s.type().name(), false);
    b.append('\t');
    text(b, s.digest(), false);
    b.append('\t').append(s.size()).append('\t');
    list(b, s.flags());
    b.append('\t');
    list(b, s.tags());
    b.append('\t');
    if (!s.deleted() && !s.blobless()) {
      b.append('-');
    } else {
      b.append(s.deleted() ? "D" : "").append(s.blobless() ? "B" : "");
    }
    b.append('\t');
    text(b, s.subject(), false);
    b.append('\t');
    text(b, s.from(), false);
    b.append('\t');
    text(b, s.to(), false);
    if (s.receivedAt() != null) {
      b.append('\t').append(s.receivedAt());
    }
    return b.toString();
  }

  /** @throws IllegalArgumentException when the text is not an item state */
  public static ItemState decode(String line) {
    List<String> f = split(line);
    if (f.size() < FIELDS) {
      throw new IllegalArgumentException("an item state has " + FIELDS + " tab-separated fields, this record "
          + f.size());
    }
    try {
      String marks = f.get(9);
      if (!marks.equals("-") && !marks.equals("D") && !marks.equals("B") && !marks.equals("DB")) {
        throw new IllegalArgumentException("marks '" + marks + "' are none of -, D, B, DB");
      }
      String since = unescape(f.get(2));
      String type = unescape(f.get(4));
      return new ItemState(Integer.parseInt(f.get(0)), Long.parseLong(f.get(1)),
          since == null ? null : instant(since), Integer.parseInt(f.get(3)),
          type == null ? null : ItemType.valueOf(type), unescape(f.get(5)), Long.parseLong(f.get(6)),
          items(f.get(7)), items(f.get(8)), marks.contains("D"), marks.contains("B"), unescape(f.get(10)),
          unescape(f.get(11)), unescape(f.get(12)), f.size() > FIELDS ? arrival(f.get(FIELDS)) : null);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("not an item state: " + e.getMessage(), e);
    }
  }

  /** The optional fourteenth field; a reader that knows only thirteen ignores it. */
  private static Instant arrival(String field) {
    String v = unescape(field);
    return v == null || v.isEmpty() ? null : instant(v);
  }

  /**
   * Reads what {@link Instant#toString()} writes. The common form ({@code 2026-03-14T09:26:53.120Z})
   * is read by hand: an account's whole log is read at once, and the general parser is the bulk of
   * that in a JVM that has not compiled it yet.
   */
  static Instant instant(String s) {
    int n = s.length();
    if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
        && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z' && (n == 20 || s.charAt(19) == '.' && n > 21)) {
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 7);
      int day = digits(s, 8, 10);
      int hour = digits(s, 11, 13);
      int minute = digits(s, 14, 16);
      int second = digits(s, 17, 19);
      int nanos = 0;
      if (n > 20) {
        int fraction = digits(s, 20, n - 1);
        nanos = fraction < 0 ? -1 : fraction * POWERS[9 - (n - 21)];
      }
      if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
          && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && nanos >= 0) {
        try {
          long days = java.time.LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (java.time.DateTimeException e) {
          // Not a real date (February 30): the general parser says what is wrong.
        }
      }
    }
    return Instant.parse(s);
  }

  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void list(StringBuilder b, Set<String> values) {
    boolean first = true;
    for (String v : values) {
      if (!first) {
        b.append(',');
      }
      first = false;
      text(b, v, true);
    }
  }

  private static void text(StringBuilder b, String s, boolean inList) {
    if (s == null) {
      b.append(NULL);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case ',' -> b.append(inList ? "\\," : ",");
        default -> b.append(c);
      }
    }
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>(FIELDS);
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '\t') {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    out.add(line.substring(start));
    return out;
  }

  private static Set<String> items(String field) {
    Set<String> out = new TreeSet<>();
    if (field.isEmpty()) {
      return out;
    }
    int start = 0;
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ',') {
        out.add(unescapeText(field.substring(start, i)));
        start = i + 1;
      }
    }
    out.add(unescapeText(field.substring(start)));
    return out;
  }

  private static String unescape(String field) {
    return field.equals(NULL) ? null : unescapeText(field);
  }

  private static String unescapeText(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 't' -> b.append('\t');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        default -> b.append(n); // \\ and \, stand for themselves
      }
    }
    return b.toString();
  }
}
