package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The notices of an operation in the vendor's form (subject, then the operation's detail and
 * result block), for the people named in its {@code notifications} parameter. Without a mail
 * relay or webhook they are kept with the operation and say that they were not sent: an operator
 * reads them with {@code monitor} instead of being told they went out.
 */
public final class Notices {
  public static final String PARAM = "notifications";
  public static final String DELIVERY =
      "recorded; not mailed: no mail relay or webhook is configured (ZxBackup_NotifySmtpHost, ZxBackup_NotifyWebhooks)";

  private Notices() {}

  /** The addresses of the operation's own {@code notifications} parameter. */
  public static List<String> recipients(Operation op) {
    String given = op.params().get(PARAM);
    if (given == null || given.isBlank()) {
      return List.of();
    }
    return Arrays.stream(given.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The subject of the "Operation Ended" notice. */
  public static String endedSubject(Operation op) {
    return op.command() + " " + op.state() + " on " + op.server() + " (Operation Ended)";
  }

  /** A notice the task itself sends, e.g. the external restore's PHASE1 Feedback; null without recipients. */
  static Notification of(Operation op, String subject, String text, Instant at) {
    List<String> to = recipients(op);
    return to.isEmpty() ? null : new Notification(to, subject, text, at, DELIVERY);
  }

  /** The "Operation Ended" notice, with the operation's detail and result block; null without recipients. */
  static Notification ended(Operation op, Instant at) {
    return of(op, endedSubject(op), OperationText.detail(op), at);
  }
}
