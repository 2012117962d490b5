package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Logged-in sessions: at most {@code max} in use at once, and besides them at most {@code keep}
 * idle ones kept for reuse, one per account, the least recently used closed first. A caller waits
 * for a free slot at most {@code maxWait}: a connection held longer is stuck or the cap is too
 * small, and a caller hanging on it would hang a scan with it. Sessions idle longer than
 * {@code maxIdle} are closed rather than reused, well before Dovecot's own idle timeout.
 *
 * <p>An account has at most {@code max} sessions open: one is opened only when the account has
 * no idle one, and every open one was in use once. So {@code max} below Dovecot's
 * {@code mail_max_userip_connections} keeps every user below it, however many are kept (give
 * it a margin of one or two: a session handed out for closing is logged out a moment later).
 */
final class SessionPool {
  /**
   * What {@link #take} hands out: an idle session (and how long it was idle), or (null) a slot to
   * open a new one; {@code toClose} are sessions the caller closes outside the pool's lock.
   */
  record Lease(ImapSession session, Duration idleFor, List<ImapSession> toClose) {}

  private record Idle(ImapSession session, Instant since, long sinceNanos) {}

  private final int max;
  private final int keep;
  private final Duration maxIdle;
  private final Duration maxWait;
  private final Clock clock;
  /** Idle sessions by account, least recently given back first. */
  private final LinkedHashMap<String, Idle> idle = new LinkedHashMap<>();
  private int inUse;
  /** Sessions in use by account. */
  private final Map<String, Integer> inUseBy = new HashMap<>();
  /** Accounts evicted while some of their sessions were in use: those are not kept when given back. */
  private final Set<String> evicted = new HashSet<>();
  /** After {@link #drain}: nothing given back is kept. */
  private boolean closed;

  SessionPool(int max, int keep, Duration maxIdle, Duration maxWait, Clock clock) {
    this.max = max;
    this.keep = keep;
    this.maxIdle = maxIdle;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /**
   * The idle session of {@code user}, or a reserved slot (session null) when it has none or it
   * went stale. Waiting longer than {@code maxWait} for a slot is an IO_ERROR naming
   * store.maxConnections.
   */
  synchronized Lease take(String user) throws InterruptedException {
    // Real time, not the injected clock: this bounds a wait on other threads, not a timestamp.
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (inUse >= max) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw ErrorCode.IO_ERROR.exception("all " + max + " IMAP connections (store.maxConnections) stayed in use for "
            + maxWait.toSeconds() + " s; raise store.maxConnections or run fewer scans at once");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    inUse++;
    inUseBy.merge(user, 1, Integer::sum);
    List<ImapSession> toClose = expired();
    Idle mine = idle.remove(user);
    if (mine == null) {
      return new Lease(null, Duration.ZERO, toClose);
    }
    return new Lease(mine.session(), Duration.ofNanos(System.nanoTime() - mine.sinceNanos()), toClose);
  }

  /** Takes out the idle sessions gone stale, for closing. */
  private List<ImapSession> expired() {
    List<ImapSession> out = new ArrayList<>();
    Instant now = clock.instant();
    for (Iterator<Idle> it = idle.values().iterator(); it.hasNext(); ) {
      Idle i = it.next();
      if (!now.isBefore(i.since().plus(maxIdle))) {
        out.add(i.session());
        it.remove();
      }
    }
    return out;
  }

  /**
   * Gives a healthy session back for reuse; returns the sessions the caller closes: one the
   * account already had idle, and the least recently used beyond {@code keep}.
   */
  synchronized List<ImapSession> give(String user, ImapSession session) {
    boolean keepable = release(user);
    List<ImapSession> toClose = expired();
    if (!keepable) {
      toClose.add(session);
      return toClose;
    }
    Idle before = idle.remove(user);
    if (before != null) {
      toClose.add(before.session());
    }
    idle.put(user, new Idle(session, clock.instant(), System.nanoTime()));
    for (Iterator<Idle> it = idle.values().iterator(); idle.size() > keep && it.hasNext(); ) {
      toClose.add(it.next().session());
      it.remove();
    }
    return toClose;
  }

  /** Frees the slot of a session of {@code user} that failed or was never opened (the caller closes it). */
  synchronized void discard(String user) {
    release(user);
  }

  /** Frees a slot of {@code user}'s; whether its session may be kept (not evicted, pool not closed). */
  private boolean release(String user) {
    inUse--;
    notifyAll();
    boolean keepable = !closed && !evicted.contains(user);
    if (inUseBy.merge(user, -1, Integer::sum) <= 0) {
      inUseBy.remove(user);
      evicted.remove(user);
    }
    return keepable;
  }

  /**
   * Takes out the idle session of a user who no longer exists (deleted, or about to be created
   * again), for closing, and makes its sessions in use not kept when given back: a Dovecot
   * process keeps the uid and home of the user it logged in, so a user of that name created
   * later must never get it.
   */
  synchronized List<ImapSession> evict(String user) {
    List<ImapSession> out = new ArrayList<>();
    Idle mine = idle.remove(user);
    if (mine != null) {
      out.add(mine.session());
    }
    if (inUseBy.containsKey(user)) {
      evicted.add(user);
    }
    return out;
  }

  /** Takes out the idle sessions idle longer than {@code maxIdle}, for closing: a periodic sweep's work. */
  synchronized List<ImapSession> sweep() {
    return expired();
  }

  /** How many sessions are kept idle. */
  synchronized int idleCount() {
    return idle.size();
  }

  /** Takes every idle session out, for closing; sessions given back from now on are closed, not kept. */
  synchronized Deque<ImapSession> drain() {
    closed = true;
    Deque<ImapSession> out = new ArrayDeque<>();
    for (Map.Entry<String, Idle> e : idle.entrySet()) {
      out.add(e.getValue().session());
    }
    idle.clear();
    return out;
  }
}
