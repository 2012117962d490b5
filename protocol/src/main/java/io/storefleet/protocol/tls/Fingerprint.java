package io.storefleet.protocol.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A certificate's SHA-256 fingerprint as storefleet shows and compares it: the coordinator prints
 * it (READY line, {@code /health}, {@code /api/v1/certificates}) and the CLI pins it in
 * {@code known_coordinators}. Upper-case hex pairs joined by ':', as
 * {@code openssl x509 -fingerprint -sha256} prints it.
 */
public final class Fingerprint {
  private Fingerprint() {}

  /** The SHA-256 of the certificate's DER encoding. */
  public static String sha256(X509Certificate c) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint " + c.getSubjectX500Principal(), e);
    }
  }
}
