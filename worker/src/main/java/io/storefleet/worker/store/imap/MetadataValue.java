package io.storefleet.worker.store.imap;

import java.util.Optional;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/** METADATA entries (RFC 5464): GETMETADATA and SETMETADATA, and reading a value out of a response line. */
final class MetadataValue {
  private MetadataValue() {}

  /** A METADATA entry of a mailbox ({@code ""}: the server entry), or empty if unset. */
  static Optional<String> get(ImapSession session, String mailbox, String key) throws ProtocolException {
    Argument args = new Argument().writeString(BASE64MailboxEncoder.encode(mailbox)).writeAtom(key);
    for (Response r : session.run("GETMETADATA", args)) {
      if (r.isUnTagged() && r instanceof IMAPResponse ir && ir.keyEquals("METADATA")) {
        return of(ir.toString(), key);
      }
    }
    return Optional.empty();
  }

  /** Sets a METADATA entry; a null value removes it. */
  static void set(ImapSession session, String mailbox, String key, String value) throws ProtocolException {
    Argument entry = new Argument().writeAtom(key);
    if (value == null) {
      entry.writeAtom("NIL");
    } else {
      entry.writeString(value);
    }
    session.run("SETMETADATA", new Argument().writeString(BASE64MailboxEncoder.encode(mailbox)).writeArgument(entry));
  }

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
