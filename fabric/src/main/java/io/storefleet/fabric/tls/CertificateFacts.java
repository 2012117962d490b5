package io.storefleet.fabric.tls;

import io.storefleet.protocol.tls.Fingerprint;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What an operator needs to know about a certificate in use: whose it is, who issued it, when it
 * expires and its SHA-256 fingerprint ({@link Fingerprint}).
 */
public record CertificateFacts(String subject, String issuer, Instant notAfter, String sha256) {

  /** Certificates closer than this to their end are logged as a warning. */
  public static final Duration WARN_BEFORE = Duration.ofDays(30);

  public static CertificateFacts of(X509Certificate c) {
    return new CertificateFacts(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
        c.getNotAfter().toInstant(), Fingerprint.sha256(c));
  }

  public long daysLeft(Clock clock) {
    return Duration.between(clock.instant(), notAfter).toDays();
  }

  public boolean expiresSoon(Clock clock) {
    return clock.instant().plus(WARN_BEFORE).isAfter(notAfter);
  }
}
