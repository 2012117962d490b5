package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import jakarta.mail.Flags;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Item flags and tags as IMAP flags and keywords. Tags become keywords through a reversible
 * escape, because IMAP keywords are atoms (no space, no parentheses, no non-ASCII): every byte
 * outside {@link #PLAIN} is written {@code =XX} (UTF-8, upper-case hex), {@code =} included.
 */
final class ImapFlags {
  private static final Map<String, Flags.Flag> SYSTEM = Map.of(
      "seen", Flags.Flag.SEEN, "answered", Flags.Flag.ANSWERED, "flagged", Flags.Flag.FLAGGED,
      "draft", Flags.Flag.DRAFT, "deleted", Flags.Flag.DELETED);
  private static final String PLAIN =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+!#$&'^`|~:;,<>?/@";

  private ImapFlags() {}

  /** The IMAP flags for an item's flags and tags. */
  static Flags of(Set<String> flags, Set<String> tags) {
    Flags out = new Flags();
    for (String f : flags) {
      Flags.Flag system = SYSTEM.get(f.toLowerCase(Locale.ROOT));
      if (system == null) {
        throw ErrorCode.BAD_VALUE.exception("flag '" + f + "' is not one of " + new TreeSet<>(SYSTEM.keySet()));
      }
      out.add(system);
    }
    for (String t : tags) {
      out.add(keyword(t));
    }
    return out;
  }

  /** The flag names of an IMAP flag set ({@code \Recent} is not one). */
  static Set<String> flags(Flags imap) {
    Set<String> out = new TreeSet<>();
    SYSTEM.forEach((name, flag) -> {
      if (imap.contains(flag)) {
        out.add(name);
      }
    });
    return out;
  }

  /** The tags of an IMAP flag set: its keywords, unescaped. */
  static Set<String> tags(Set<String> keywords) {
    Set<String> out = new TreeSet<>();
    for (String k : keywords) {
      out.add(tag(k));
    }
    return out;
  }

  /** The keywords of an IMAP flag set, as the server holds them. */
  static Set<String> keywords(Flags imap) {
    return new TreeSet<>(Set.of(imap.getUserFlags()));
  }

  /** A tag as an IMAP keyword. */
  static String keyword(String tag) {
    if (tag == null || tag.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("a tag name is empty; give at least one character");
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : tag.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 128 && PLAIN.indexOf(c) >= 0) {
        sb.append(c);
      } else {
        sb.append('=').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  /** An IMAP keyword as a tag; keywords other clients set without the escape come back as they are. */
  static String tag(String keyword) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < keyword.length(); i++) {
      char c = keyword.charAt(i);
      if (c == '=' && isHex(keyword, i + 1)) {
        out.write(Integer.parseInt(keyword.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String s, int at) {
    return at + 2 <= s.length() && Character.digit(s.charAt(at), 16) >= 0 && Character.digit(s.charAt(at + 1), 16) >= 0;
  }
}
