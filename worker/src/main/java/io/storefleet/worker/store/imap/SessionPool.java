package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Logged-in sessions kept for reuse, per account, with at most {@code max} connections open at
 * once (idle or in use). A caller that finds no idle session of its account gets a slot to open
 * one; when every slot is taken it closes another account's idle session, or waits for one to be
 * given back, at most {@code maxWait}: a connection held longer is stuck or the cap is too small,
 * and a caller hanging on it would hang a scan with it. Sessions idle longer than {@code maxIdle}
 * are closed rather than reused, well before Dovecot's own idle timeout.
 */
final class SessionPool {
  /** What {@link #take} hands out: an idle session, or (null) a slot to open a new one. */
  record Lease(ImapSession session, ImapSession toClose) {}

  private record Idle(ImapSession session, Instant since) {}

  private final int max;
  private final Duration maxIdle;
  private final Duration maxWait;
  private final Clock clock;
  private final Map<String, Deque<Idle>> idle = new HashMap<>();
  private int open;

  SessionPool(int max, Duration maxIdle, Duration maxWait, Clock clock) {
    this.max = max;
    this.maxIdle = maxIdle;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /**
   * An idle session of {@code user}, or a reserved slot (session null). {@code toClose} is a
   * session the caller must close (outside this lock) because it gave up its slot or went stale.
   * Waiting longer than {@code maxWait} for a slot is an IO_ERROR naming store.maxConnections.
   */
  synchronized Lease take(String user) throws InterruptedException {
    // Real time, not the injected clock: this bounds a wait on other threads, not a timestamp.
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      Deque<Idle> mine = idle.get(user);
      while (mine != null && !mine.isEmpty()) {
        Idle i = mine.pollLast();
        // A stale session gives its slot to the caller, who closes it and opens a new one.
        return fresh(i) ? new Lease(i.session(), null) : new Lease(null, i.session());
      }
      if (open < max) {
        open++;
        return new Lease(null, null);
      }
      Idle victim = oldestIdle();
      if (victim != null) {
        return new Lease(null, victim.session());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw ErrorCode.IO_ERROR.exception("all " + max + " IMAP connections (store.maxConnections) stayed in use for "
            + maxWait.toSeconds() + " s; raise store.maxConnections or run fewer scans at once");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  private boolean fresh(Idle i) {
    return clock.instant().isBefore(i.since().plus(maxIdle));
  }

  /** Removes the longest-idle session of any account, keeping its slot for the caller. */
  private Idle oldestIdle() {
    Idle oldest = null;
    String owner = null;
    for (Map.Entry<String, Deque<Idle>> e : idle.entrySet()) {
      Idle first = e.getValue().peekFirst();
      if (first != null && (oldest == null || first.since().isBefore(oldest.since()))) {
        oldest = first;
        owner = e.getKey();
      }
    }
    if (oldest != null) {
      idle.get(owner).pollFirst();
    }
    return oldest;
  }

  /** Gives a healthy session back for reuse. */
  synchronized void give(String user, ImapSession session) {
    idle.computeIfAbsent(user, u -> new ArrayDeque<>()).addLast(new Idle(session, clock.instant()));
    notifyAll();
  }

  /** Frees the slot of a session that failed or was never opened (the caller closes it). */
  synchronized void discard() {
    open--;
    notifyAll();
  }

  /** Takes every idle session out, for closing; their slots are freed. */
  synchronized Deque<ImapSession> drain() {
    Deque<ImapSession> out = new ArrayDeque<>();
    for (Iterator<Deque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
      for (Idle i : it.next()) {
        out.add(i.session());
        open--;
      }
      it.remove();
    }
    notifyAll();
    return out;
  }
}
