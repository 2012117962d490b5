package io.storefleet.worker.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One place a notice has to reach, as it is written in the notice's {@code pending} list:
 * {@code mail a@x,b@y} (mailed at once), {@code digest a@x} (in the daily digest) or
 * {@code webhook https://host #<id>}. A webhook's URL often carries its secret in the path, and a
 * notice is shown to every viewer and kept in the operation log: so a webhook target names only
 * the URL's scheme and host and a hash of the whole URL, by which the delivery finds the URL in the
 * settings when it sends.
 */
record Target(Kind kind, String value) {

  enum Kind {
    MAIL, DIGEST, WEBHOOK;

    /** The channel's name in outcomes and metrics: {@code mail}, {@code digest}, {@code webhook}. */
    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static Target mail(List<String> to) {
    return new Target(Kind.MAIL, String.join(",", to));
  }

  static Target digest(List<String> to) {
    return new Target(Kind.DIGEST, String.join(",", to));
  }

  static Target webhook(URI url) {
    return new Target(Kind.WEBHOOK, shown(url) + " #" + idOf(url));
  }

  /** What a message may show of a webhook URL: its scheme and host (and port), never its path or query. */
  static String shown(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
  }

  /** The configured webhook this target stands for, if it is still configured. */
  Optional<URI> webhookIn(List<URI> configured) {
    String id = value.substring(value.lastIndexOf('#') + 1);
    return configured.stream().filter(u -> idOf(u).equals(id)).findFirst();
  }

  private static String idOf(URI url) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Target parse(String text) {
    int sp = text.indexOf(' ');
    return new Target(Kind.valueOf(text.substring(0, sp).toUpperCase(java.util.Locale.ROOT)), text.substring(sp + 1));
  }

  /** The addresses of a mail or digest target. */
  List<String> addresses() {
    return Arrays.asList(value.split(","));
  }

  @Override
  public String toString() {
    return kind.label() + " " + value;
  }
}
