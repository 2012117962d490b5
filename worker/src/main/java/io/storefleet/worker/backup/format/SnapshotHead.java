package io.storefleet.worker.backup.format;

/**
 * The fields of an account snapshot that decide whether a scan can skip the account, read from
 * its JSON text without decoding the rest (the account, its folders, its grants). An incremental
 * scan reads one per account of the server; decoding whole snapshots was most of its time in a
 * freshly started worker.
 *
 * @param seq the journal position the snapshot reflects
 * @param deleted the account is gone or treated as gone
 * @param excluded the account is treated as gone because its COS has backup disabled
 * @param uncertain an account scan must run before the states can be trusted
 * @param withoutContent some live item's content was not kept
 */
public record SnapshotHead(long seq, boolean deleted, boolean excluded, boolean uncertain, boolean withoutContent) {

  SnapshotHead withSeq(long at) {
    return new SnapshotHead(at, deleted, excluded, uncertain, withoutContent);
  }

  public static SnapshotHead of(AccountSnapshot s) {
    return new SnapshotHead(s.seq(), s.deleted(), s.excluded() != null, s.uncertain() != null, s.withoutContent());
  }

  /**
   * Reads the top-level fields of a snapshot's JSON object, skipping nested values.
   *
   * @return the head, or null when the text is not a JSON object this reader understands (the
   *     caller then decodes the whole snapshot)
   */
  public static SnapshotHead parse(String json) {
    try {
      return new Reader(json).head();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    SnapshotHead head() {
      long seq = -1;
      boolean deleted = false;
      boolean excluded = false;
      boolean uncertain = false;
      boolean withoutContent = false;
      expect('{');
      if (peek() == '}') {
        return null;
      }
      while (true) {
        String key = string();
        expect(':');
        switch (key) {
          case "seq" -> seq = number();
          case "deleted" -> deleted = bool();
          case "withoutContent" -> withoutContent = bool();
          case "excluded" -> excluded = !nullOrSkip();
          case "uncertain" -> uncertain = !nullOrSkip();
          default -> skipValue();
        }
        char c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected , or } at " + i);
        }
      }
      return seq < 0 ? null : new SnapshotHead(seq, deleted, excluded, uncertain, withoutContent);
    }

    private char peek() {
      while (Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
      }
    }

    /** A string without escapes is all a key here can be; anything else is skipped as a value. */
    private String string() {
      expect('"');
      int start = i;
      while (s.charAt(i) != '"') {
        if (s.charAt(i) == '\\') {
          throw new IllegalArgumentException("escaped key");
        }
        i++;
      }
      return s.substring(start, i++);
    }

    private long number() {
      peek();
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
        i++;
      }
      return Long.parseLong(s.substring(start, i));
    }

    private boolean bool() {
      peek();
      if (s.startsWith("true", i)) {
        i += 4;
        return true;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return false;
      }
      throw new IllegalArgumentException("expected a boolean at " + i);
    }

    /** True for null; skips any other value. */
    private boolean nullOrSkip() {
      if (peek() == 'n' && s.startsWith("null", i)) {
        i += 4;
        return true;
      }
      skipValue();
      return false;
    }

    private void skipValue() {
      char c = peek();
      if (c == '"') {
        i++;
        while (s.charAt(i) != '"') {
          i += s.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      } else if (c == '{' || c == '[') {
        int depth = 0;
        do {
          char d = s.charAt(i);
          if (d == '"') {
            skipValue();
            continue;
          }
          if (d == '{' || d == '[') {
            depth++;
          } else if (d == '}' || d == ']') {
            depth--;
          }
          i++;
        } while (depth > 0);
      } else {
        while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
          i++;
        }
      }
    }
  }
}
