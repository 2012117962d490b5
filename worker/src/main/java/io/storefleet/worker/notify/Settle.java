package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.DeliveryState;
import io.storefleet.protocol.operation.Notification;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/** The delivery state and the sentence for people that a notice has after an attempt. */
final class Settle {
  private Settle() {}

  /**
   * @param attempts attempts made, this one included
   * @param pending targets still to reach (those of {@code failing} included)
   * @param outcomes every finished target's outcome
   * @param failing the targets this attempt failed for a temporary reason, each with its reason
   * @param digestTime when the digest goes out, or null
   */
  static Notification after(Notification n, int attempts, List<String> pending, List<String> outcomes,
      List<String> failing, Instant now, Backoff backoff, LocalTime digestTime, DeliveryObserver observer) {
    List<String> left = new ArrayList<>(pending);
    List<String> done = new ArrayList<>(outcomes);
    if (!failing.isEmpty() && attempts >= backoff.attempts()) {
      for (String f : failing) {
        String target = f.substring(0, f.indexOf(": "));
        left.remove(target);
        done.add("failed " + target + ": gave up after " + attempts + " attempts: " + f.substring(f.indexOf(": ") + 2));
        observer.delivered(Target.parse(target).kind().label(), DeliveryObserver.Result.FAILED);
      }
      failing = List.of();
    }
    String after = done.isEmpty() ? "" : " (" + String.join("; ", done) + ")";
    if (!failing.isEmpty()) {
      Instant next = now.plus(backoff.after(attempts));
      boolean digestOnly = left.stream().allMatch(t -> Target.parse(t).kind() == Target.Kind.DIGEST);
      return n.withDelivery("retrying: attempt " + attempts + " of " + backoff.attempts() + " failed, next at " + next
          + ": " + String.join("; ", failing) + after, digestOnly ? DeliveryState.DIGEST : DeliveryState.RETRYING,
          attempts, next, left, done);
    }
    if (!left.isEmpty()) {
      return n.withDelivery("waiting for the daily digest" + (digestTime == null ? "" : " at " + digestTime) + after,
          DeliveryState.DIGEST, attempts, null, left, done);
    }
    boolean failed = done.stream().anyMatch(o -> o.startsWith("failed "));
    boolean sent = done.stream().anyMatch(o -> o.startsWith("sent "));
    DeliveryState state = failed || !sent ? DeliveryState.FAILED : DeliveryState.SENT;
    return n.withDelivery((state == DeliveryState.SENT ? "sent: " : "failed: ") + String.join("; ", done), state,
        attempts, null, List.of(), done);
  }
}
