package io.storefleet.worker.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a webhook request carries in its {@value #HEADER} header:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the shared secret>}. A
 * receiver recomputes the HMAC over the timestamp and the raw body, compares in constant time
 * (a forgery fails), and refuses a timestamp further than a few minutes from its clock (a replay
 * fails); {@link #verify} does both.
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Storefleet-Signature";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code at}. */
  public static String sign(String secret, Instant at, String body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t + "." + body));
  }

  /**
   * Whether {@code header} is a valid signature of {@code body} under {@code secret}, made no more
   * than {@code tolerance} away from {@code now}.
   */
  public static boolean verify(String secret, String header, String body, Instant now, Duration tolerance) {
    if (header == null) {
      return false;
    }
    Long t = null;
    byte[] given = null;
    for (String part : header.split(",")) {
      String p = part.strip();
      try {
        if (p.startsWith("t=")) {
          t = Long.parseLong(p.substring(2));
        } else if (p.startsWith("v1=")) {
          given = HexFormat.of().parseHex(p.substring(3));
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (t == null || given == null) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, t + "." + body), given);
  }

  private static byte[] hmac(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
