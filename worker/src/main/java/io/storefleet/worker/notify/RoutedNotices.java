package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.DeliveryState;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.queue.NoticeRouter;
import io.storefleet.worker.queue.Notices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The routing of notices. The people an operation names in its {@code notifications} parameter
 * asked for it: they get each of its notices at once, whatever its end. The server's
 * {@code ZxBackup_NotifyRecipients} get the ends listed in {@code ZxBackup_NotifyEvents} at once
 * (failed, interrupted and stopped by default) and every other end in their daily digest, if one
 * is set. Every webhook gets every notice. A notice nobody is to get is not made.
 */
public final class RoutedNotices implements NoticeRouter {
  static final String NOT_MAILED = "not mailed: no mail relay is configured (ZxBackup_NotifySmtpHost)";

  private final Supplier<NoticeSettings> settings;
  private final Runnable wake;

  /**
   * @param wake told when a notice waits for delivery; must not block
   */
  public RoutedNotices(Supplier<NoticeSettings> settings, Runnable wake) {
    this.settings = settings;
    this.wake = wake;
  }

  @Override
  public Notification during(Operation op, String subject, String text, Instant at) {
    return route(settings.get(), Notices.recipients(op), List.of(), subject, text, at);
  }

  @Override
  public Notification ended(Operation op, Instant at) {
    NoticeSettings s = settings.get();
    List<String> own = Notices.recipients(op);
    Set<String> now = new LinkedHashSet<>(own);
    List<String> later = new ArrayList<>();
    if (s.events().contains(op.state())) {
      now.addAll(s.recipients());
    } else if (s.digestTime() != null) {
      s.recipients().stream().filter(r -> !now.contains(r)).forEach(later::add);
    }
    return route(s, List.copyOf(now), later, Notices.endedSubject(op), OperationText.detail(op), at);
  }

  private Notification route(NoticeSettings s, List<String> now, List<String> later, String subject, String text,
      Instant at) {
    List<String> to = new ArrayList<>(now);
    to.addAll(later);
    if (to.isEmpty() && s.webhooks().isEmpty()) {
      return null;
    }
    List<String> pending = new ArrayList<>();
    if (s.relay() != null && !now.isEmpty()) {
      pending.add(Target.mail(now).toString());
    }
    if (s.relay() != null && !later.isEmpty()) {
      pending.add(Target.digest(later).toString());
    }
    s.webhooks().forEach(u -> pending.add(Target.webhook(u).toString()));
    if (pending.isEmpty()) {
      return new Notification(to, subject, text, at, Notices.DELIVERY);
    }
    List<String> outcomes = s.relay() == null && !to.isEmpty() ? List.of(NOT_MAILED) : List.of();
    boolean digestOnly = pending.stream().allMatch(t -> Target.parse(t).kind() == Target.Kind.DIGEST);
    Notification n = digestOnly
        ? new Notification(to, subject, text, at, "waiting for the daily digest at " + s.digestTime(),
            DeliveryState.DIGEST, 0, null, pending, outcomes)
        : new Notification(to, subject, text, at, "waiting for its first attempt", DeliveryState.PENDING, 0, at,
            pending, outcomes);
    wake.run();
    return n;
  }
}
