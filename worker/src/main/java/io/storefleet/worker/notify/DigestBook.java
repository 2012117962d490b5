package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.DeliveryState;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.worker.queue.OperationQueue;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One server's side of the daily digest: the notices of its operations that wait for it (read
 * from the operation log, so nothing waiting is forgotten by a restart), and what the digest came
 * to for each, written back there. Whichever server sends the digest asks every server's book.
 */
public final class DigestBook {
  private final String serverId;
  private final OperationQueue queue;
  private final Backoff backoff;
  private final Supplier<NoticeSettings> settings;
  private final DeliveryObserver observer;

  public DigestBook(String serverId, OperationQueue queue, Backoff backoff, Supplier<NoticeSettings> settings,
      DeliveryObserver observer) {
    this.serverId = serverId;
    this.queue = queue;
    this.backoff = backoff;
    this.settings = settings;
    this.observer = observer;
  }

  public String serverId() {
    return serverId;
  }

  /** The notices waiting for a digest, made before {@code cutoff} and not waiting for a retry after {@code now}. */
  public List<DigestItem> waiting(Instant cutoff, Instant now) {
    List<DigestItem> out = new ArrayList<>();
    for (Operation op : queue.list(true)) {
      List<Notification> ns = op.notifications();
      for (int i = 0; i < ns.size(); i++) {
        Notification n = ns.get(i);
        if (n.state() == DeliveryState.DIGEST && n.at().isBefore(cutoff)
            && (n.nextAttemptAt() == null || !n.nextAttemptAt().isAfter(now))) {
          out.add(new DigestItem(serverId, op.uuid(), i, n.subject(), n.text(), n.at(), op.state(),
              digestAddresses(n), n.attempts()));
        }
      }
    }
    return out;
  }

  private static List<String> digestAddresses(Notification n) {
    return n.pending().stream().map(Target::parse).filter(t -> t.kind() == Target.Kind.DIGEST)
        .flatMap(t -> t.addresses().stream()).toList();
  }

  /** Writes what the digest came to into each notice it was about. */
  public void apply(List<DigestOutcome> outcomes, Instant now) {
    Map<String, List<DigestOutcome>> byNotice = new LinkedHashMap<>();
    outcomes.forEach(o -> byNotice.computeIfAbsent(o.uuid() + "#" + o.index(), k -> new ArrayList<>()).add(o));
    LocalTime digestTime = settings.get().digestTime();
    for (List<DigestOutcome> list : byNotice.values()) {
      DigestOutcome first = list.get(0);
      Notification n = queue.get(first.uuid()).map(Operation::notifications)
          .filter(ns -> first.index() < ns.size()).map(ns -> ns.get(first.index())).orElse(null);
      if (n == null || n.state() != DeliveryState.DIGEST) {
        continue;
      }
      List<String> waiting = new ArrayList<>(digestAddresses(n));
      List<String> done = new ArrayList<>(n.outcomes());
      List<String> reasons = new ArrayList<>();
      for (DigestOutcome o : list) {
        if (o.sent()) {
          waiting.remove(o.recipient());
          done.add("sent digest " + o.recipient());
        } else if (o.temporary()) {
          reasons.add(o.recipient() + ": " + o.reason());
        } else {
          waiting.remove(o.recipient());
          done.add("failed digest " + o.recipient() + ": " + o.reason());
        }
      }
      List<String> pending = new ArrayList<>(n.pending().stream()
          .filter(t -> Target.parse(t).kind() != Target.Kind.DIGEST).toList());
      if (!waiting.isEmpty()) {
        pending.add(Target.digest(waiting).toString());
      }
      List<String> failing = reasons.isEmpty() ? List.of()
          : List.of(Target.digest(waiting) + ": " + String.join("; ", reasons));
      queue.updateNotice(first.uuid(), first.index(), Settle.after(n, n.attempts() + (reasons.isEmpty() ? 0 : 1),
          pending, done, failing, now, backoff, digestTime, observer));
    }
  }
}
