package io.storefleet.worker.store.local;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Subject, From and To/Cc of a raw message, for listings. Real mail is often malformed, so
 * this never throws: what it cannot read comes out raw or empty.
 *
 * @param subject the Subject, encoded-words decoded
 * @param from the From header
 * @param to the To and Cc headers, joined with {@code ", "}
 */
public record HeaderSummary(String subject, String from, String to) {
  public static final HeaderSummary EMPTY = new HeaderSummary("", "", "");

  // Keeps one absurd header from bloating every journal entry that carries the summary.
  private static final int MAX_CHARS = 8192;
  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
  private static final Pattern B64 = Pattern.compile("[A-Za-z0-9+/]*");

  public static HeaderSummary of(byte[] raw) {
    String subject = null;
    String from = null;
    StringBuilder to = new StringBuilder();
    HeaderLines lines = new HeaderLines(raw);
    for (byte[] field = lines.next(); field != null; field = lines.next()) {
      String text = text(field);
      int colon = text.indexOf(':');
      String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = text.substring(colon + 1).trim();
      switch (name) {
        case "subject" -> subject = subject == null ? value : subject;
        case "from" -> from = from == null ? value : from;
        case "to", "cc" -> {
          if (!value.isEmpty()) {
            to.append(to.length() == 0 ? "" : ", ").append(value);
          }
        }
        default -> { }
      }
    }
    return new HeaderSummary(clean(subject), clean(from), clean(to.toString()));
  }

  private static String clean(String value) {
    if (value == null) {
      return "";
    }
    String decoded = decodeWords(value);
    if (decoded.length() <= MAX_CHARS) {
      return decoded;
    }
    return decoded.substring(0, Character.isHighSurrogate(decoded.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS);
  }

  /** Header bytes as UTF-8 when they are valid UTF-8, else as ISO-8859-1 (which never fails). */
  private static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** RFC 2047: whitespace between two adjacent encoded-words is not part of the text. */
  static String decodeWords(String value) {
    Matcher m = ENCODED_WORD.matcher(value);
    StringBuilder out = new StringBuilder(value.length());
    int last = 0;
    boolean lastWasWord = false;
    while (m.find()) {
      String gap = value.substring(last, m.start());
      String decoded = decodeWord(m.group(1), m.group(2), m.group(3));
      if (!(lastWasWord && decoded != null && gap.isBlank())) {
        out.append(gap);
      }
      out.append(decoded != null ? decoded : m.group());
      lastWasWord = decoded != null;
      last = m.end();
    }
    return out.append(value, last, value.length()).toString();
  }

  /** The decoded word, or null when it cannot be decoded (then it is kept raw). */
  private static String decodeWord(String charsetLabel, String encoding, String text) {
    Charset charset;
    try {
      int star = charsetLabel.indexOf('*'); // RFC 2231 language suffix
      charset = Charset.forName(star >= 0 ? charsetLabel.substring(0, star) : charsetLabel);
    } catch (IllegalArgumentException e) { // illegal or unsupported charset name
      return null;
    }
    byte[] bytes;
    if (encoding.equalsIgnoreCase("b")) {
      String b64 = text.replaceAll("=+$", "");
      if (!B64.matcher(b64).matches() || b64.length() % 4 == 1) {
        return null;
      }
      try {
        bytes = Base64.getDecoder().decode(b64 + "==".substring(0, (4 - b64.length() % 4) % 4));
      } catch (IllegalArgumentException e) {
        return null;
      }
    } else {
      bytes = decodeQ(text);
    }
    return new String(bytes, charset);
  }

  private static byte[] decodeQ(String text) {
    ByteBuffer out = ByteBuffer.allocate(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (c == '=' && hi >= 0 && lo >= 0) {
        out.put((byte) (hi * 16 + lo));
        i += 2;
      } else if (c == '_') {
        out.put((byte) ' ');
      } else {
        out.put((byte) c);
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /**
   * The unfolded fields of the header block. The block ends at the first empty line, or at the
   * first line that is neither a field nor a continuation (a header-less message has none).
   */
  private static final class HeaderLines {
    private final byte[] raw;
    private int pos;

    HeaderLines(byte[] raw) {
      this.raw = raw;
      if (startsWith(0, "\uFEFF".getBytes(StandardCharsets.UTF_8))) {
        pos = 3;
      }
      if (startsWith(pos, "From ".getBytes(StandardCharsets.US_ASCII))) {
        pos = lineEnd(pos);
      }
      while (pos < raw.length && isContinuation(pos)) {
        pos = lineEnd(pos); // a continuation before any field belongs to nothing
      }
    }

    /** The next field with continuations joined and line breaks removed, or null at the end. */
    byte[] next() {
      if (pos >= raw.length || !isField(pos)) {
        pos = raw.length;
        return null;
      }
      ByteArrayOutputStream field = new ByteArrayOutputStream();
      do {
        int end = lineEnd(pos);
        int contentEnd = end;
        while (contentEnd > pos && (raw[contentEnd - 1] == '\n' || raw[contentEnd - 1] == '\r')) {
          contentEnd--;
        }
        field.write(raw, pos, contentEnd - pos);
        pos = end;
      } while (pos < raw.length && isContinuation(pos));
      return field.toByteArray();
    }

    /** A field name: printable ASCII without colon or space, then a colon (space before it tolerated). */
    private boolean isField(int at) {
      int i = at;
      while (i < raw.length && raw[i] > 32 && raw[i] < 127 && raw[i] != ':') {
        i++;
      }
      if (i == at) {
        return false;
      }
      while (i < raw.length && (raw[i] == ' ' || raw[i] == '\t')) {
        i++;
      }
      return i < raw.length && raw[i] == ':';
    }

    private boolean isContinuation(int at) {
      return raw[at] == ' ' || raw[at] == '\t';
    }

    private int lineEnd(int at) {
      int i = at;
      while (i < raw.length && raw[i] != '\n') {
        i++;
      }
      return Math.min(i + 1, raw.length);
    }

    private boolean startsWith(int at, byte[] prefix) {
      if (raw.length - at < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (raw[at + i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }
}
