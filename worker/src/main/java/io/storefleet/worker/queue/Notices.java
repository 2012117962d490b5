package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The notifications of operations that name recipients in their {@code notifications} parameter.
 * No mail relay can be configured yet, so each one is kept with the operation and says that it
 * was not mailed: an operator reads it with {@code monitor} instead of being told it went out.
 */
final class Notices {
  static final String PARAM = "notifications";
  static final String DELIVERY = "recorded; not mailed: storefleet has no mail relay setting yet";

  private Notices() {}

  static List<String> recipients(Operation op) {
    String given = op.params().get(PARAM);
    if (given == null || given.isBlank()) {
      return List.of();
    }
    return Arrays.stream(given.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A notice the task itself sends, e.g. the external restore's PHASE1 Feedback; null without recipients. */
  static Notification of(Operation op, String subject, String text, Instant at) {
    List<String> to = recipients(op);
    return to.isEmpty() ? null : new Notification(to, subject, text, at, DELIVERY);
  }

  /** The "Operation Ended" notice, with the operation's detail and result block; null without recipients. */
  static Notification ended(Operation op, Instant at) {
    return of(op, op.command() + " " + op.state() + " on " + op.server() + " (Operation Ended)",
        OperationText.detail(op), at);
  }
}
