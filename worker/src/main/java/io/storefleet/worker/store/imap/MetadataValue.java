package io.storefleet.worker.store.imap;

import java.util.Optional;

/** Reads one entry's value out of an untagged {@code METADATA} response line. */
final class MetadataValue {
  private MetadataValue() {}

  /**
   * The value of {@code key} in {@code line} ({@code * METADATA mbox (key value)}), where value is
   * a quoted string, a literal ({@code {n}CRLF...}) or NIL (empty).
   */
  static Optional<String> of(String line, String key) {
    int at = line.toLowerCase(java.util.Locale.ROOT).indexOf(key.toLowerCase(java.util.Locale.ROOT) + " ");
    if (at < 0) {
      return Optional.empty();
    }
    int i = at + key.length() + 1;
    if (line.startsWith("NIL", i)) {
      return Optional.empty();
    }
    if (line.charAt(i) == '"') {
      StringBuilder sb = new StringBuilder();
      for (int j = i + 1; j < line.length(); j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          sb.append(line.charAt(++j));
        } else if (c == '"') {
          return Optional.of(sb.toString());
        } else {
          sb.append(c);
        }
      }
      return Optional.empty();
    }
    if (line.charAt(i) == '{') {
      int close = line.indexOf('}', i);
      int n = Integer.parseInt(line.substring(i + 1, close).replace("+", ""));
      int start = line.indexOf('\n', close) + 1;
      return Optional.of(line.substring(start, Math.min(line.length(), start + n)));
    }
    return Optional.empty();
  }
}
