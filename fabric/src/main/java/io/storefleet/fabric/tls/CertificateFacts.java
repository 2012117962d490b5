package io.storefleet.fabric.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What an operator needs to know about a certificate in use: whose it is, who issued it, when it
 * expires and its SHA-256 fingerprint (as {@code openssl x509 -fingerprint -sha256} prints it).
 */
public record CertificateFacts(String subject, String issuer, Instant notAfter, String sha256) {

  /** Certificates closer than this to their end are logged as a warning. */
  public static final Duration WARN_BEFORE = Duration.ofDays(30);

  public static CertificateFacts of(X509Certificate c) {
    return new CertificateFacts(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
        c.getNotAfter().toInstant(), fingerprint(c));
  }

  /** The SHA-256 of the DER encoding, upper-case hex pairs joined by ':'. */
  public static String fingerprint(X509Certificate c) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint " + c.getSubjectX500Principal(), e);
    }
  }

  public long daysLeft(Clock clock) {
    return Duration.between(clock.instant(), notAfter).toDays();
  }

  public boolean expiresSoon(Clock clock) {
    return clock.instant().plus(WARN_BEFORE).isAfter(notAfter);
  }
}
