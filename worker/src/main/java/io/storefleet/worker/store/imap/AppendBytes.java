package io.storefleet.worker.store.imap;

import java.io.ByteArrayOutputStream;

/**
 * The bytes to APPEND so that Dovecot serves the canonical form of a message ({@link
 * io.storefleet.worker.store.CanonicalContent}). Dovecot stores a message with CRLF turned into LF
 * and serves it with CR added before every LF not preceded by one, so two things do not survive a
 * plain APPEND: a CR right before a CRLF (CR CR LF is served CR LF) and a CR at the very end (it
 * is dropped). Each such run of CRs gets one CR more here, which Dovecot's conversion takes away
 * again; everything else is sent as it is.
 */
final class AppendBytes {
  private AppendBytes() {}

  static byte[] of(byte[] raw) {
    if (!needsMore(raw)) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 16);
    int crs = 0;
    for (byte b : raw) {
      if (b == '\n' && crs >= 2) {
        out.write('\r');
      }
      crs = b == '\r' ? crs + 1 : 0;
      out.write(b);
    }
    if (crs > 0) {
      out.write('\r');
    }
    return out.toByteArray();
  }

  private static boolean needsMore(byte[] raw) {
    int crs = 0;
    for (byte b : raw) {
      if (b == '\n' && crs >= 2) {
        return true;
      }
      crs = b == '\r' ? crs + 1 : 0;
    }
    return crs > 0;
  }
}
