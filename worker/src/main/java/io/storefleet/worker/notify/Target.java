package io.storefleet.worker.notify;

import java.util.Arrays;
import java.util.List;

/**
 * One place a notice has to reach, as it is written in the notice's {@code pending} list:
 * {@code mail a@x,b@y} (mailed at once), {@code digest a@x} (in the daily digest) or
 * {@code webhook https://...}.
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

  static Target webhook(String url) {
    return new Target(Kind.WEBHOOK, url);
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
