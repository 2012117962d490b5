package io.storefleet.protocol.operation;

import java.time.Instant;
import java.util.List;

/**
 * A message an operation addressed to people: the "PHASE1 Feedback" and "Operation Ended" mails
 * of the vendor's manual, to the addresses of its {@code notifications} parameter and to those the
 * notification routing adds. It is kept with the operation together with its delivery state, so
 * what was (or was not) sent can be read back through the API and CLI.
 *
 * @param to the addresses it is for
 * @param subject its subject line
 * @param text its body: the operation's detail and result block
 * @param at when it was produced
 * @param delivery what happened to it, for people, e.g. {@code sent by mail and 1 webhook},
 *     {@code retrying (attempt 2, next at ...): mail: 421 ...} or {@code recorded; not mailed: ...}
 * @param state the delivery state; records written before deliveries existed read as RECORDED
 * @param attempts delivery attempts made so far
 * @param nextAttemptAt when the next attempt is due, while the state is PENDING or RETRYING
 * @param pending the targets it still has to reach: {@code mail <addresses>}, {@code digest <addresses>}, {@code webhook <url>}
 * @param outcomes what each finished target came to: {@code sent <target>} or {@code failed <target>: <reason>}
 */
public record Notification(List<String> to, String subject, String text, Instant at, String delivery,
    DeliveryState state, int attempts, Instant nextAttemptAt, List<String> pending, List<String> outcomes) {

  public Notification {
    to = to == null ? List.of() : List.copyOf(to);
    state = state == null ? DeliveryState.RECORDED : state;
    pending = pending == null ? List.of() : List.copyOf(pending);
    outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
  }

  /** A notice that is only recorded, saying why in {@code delivery}. */
  public Notification(List<String> to, String subject, String text, Instant at, String delivery) {
    this(to, subject, text, at, delivery, DeliveryState.RECORDED, 0, null, List.of(), List.of());
  }

  /** The same notice with a new delivery state. */
  public Notification withDelivery(String summary, DeliveryState newState, int attemptsSoFar, Instant next,
      List<String> stillPending, List<String> allOutcomes) {
    return new Notification(to, subject, text, at, summary, newState, attemptsSoFar, next, stillPending, allOutcomes);
  }
}
