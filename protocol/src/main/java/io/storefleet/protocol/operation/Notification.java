package io.storefleet.protocol.operation;

import java.time.Instant;
import java.util.List;

/**
 * A message an operation addressed to the people named in its {@code notifications} parameter:
 * the "PHASE1 Feedback" and "Operation Ended" mails of the vendor's manual. It is kept with the
 * operation, so that what would have been mailed can be read back through the API and CLI.
 *
 * @param to the addresses it is for
 * @param subject its subject line
 * @param text its body
 * @param at when it was produced
 * @param delivery what happened to it, e.g. {@code recorded; not mailed: no mail relay is configured}
 */
public record Notification(List<String> to, String subject, String text, Instant at, String delivery) {

  public Notification {
    to = to == null ? List.of() : List.copyOf(to);
  }
}
