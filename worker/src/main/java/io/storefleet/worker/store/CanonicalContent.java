package io.storefleet.worker.store;

import io.storefleet.worker.backup.format.BlobCodec;
import java.io.ByteArrayOutputStream;

/**
 * The canonical form of a message: what lets contents be compared across store kinds. The
 * embedded store keeps a message byte for byte; an IMAP server keeps and serves its wire form, in
 * which every line ends CRLF and no byte is NUL. The canonical form is that wire form, made from
 * any bytes the way Dovecot makes it: a LF not preceded by CR becomes CRLF, and NUL becomes 0x80.
 * Nothing else changes (a lone CR stays, and no line break is added at the end).
 *
 * <p>Wire bytes are their own canonical form, so within an IMAP store the canonical digest is the
 * content digest; a message the embedded store holds LF-only has a canonical digest equal to the
 * digest of what Dovecot serves after the imap store appended it. (A plain APPEND by another
 * client differs in two rare cases, a CR right before CRLF and a CR at the very end, which
 * Dovecot drops; the imap store appends so that they survive.)
 */
public final class CanonicalContent {
  private CanonicalContent() {}

  /** The canonical form of {@code raw}; {@code raw} itself when it is already canonical. */
  public static byte[] of(byte[] raw) {
    if (isCanonical(raw)) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 32 + 16);
    byte previous = 0;
    for (byte b : raw) {
      if (b == '\n' && previous != '\r') {
        out.write('\r');
        out.write('\n');
      } else {
        out.write(b == 0 ? 0x80 : b);
      }
      previous = b;
    }
    return out.toByteArray();
  }

  /** SHA-256 of the canonical form, lower-case hex. */
  public static String digest(byte[] raw) {
    return BlobCodec.sha256(of(raw));
  }

  private static boolean isCanonical(byte[] raw) {
    byte previous = 0;
    for (byte b : raw) {
      if (b == 0 || b == '\n' && previous != '\r') {
        return false;
      }
      previous = b;
    }
    return true;
  }
}
