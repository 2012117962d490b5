package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.store.Account;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Journals other clients' changes as they happen, without reading every message: Dovecot's
 * change log ({@link ChangeLog}) marks users dirty, a periodic sweep ({@code doveadm mailbox
 * status -A}) marks dirty every account whose mailboxes' GUID, UIDVALIDITY or HIGHESTMODSEQ
 * differ from its id map (what the log missed, and all that changed while the worker was down:
 * the first run sweeps), and a pass of each dirty account journals what changed. An account
 * whose pass fails stays dirty for the next run.
 */
final class ChangeFeed {
  private static final Logger LOG = Logger.getLogger(ChangeFeed.class.getName());

  private final ChangeLog log;
  private final DoveadmClient doveadm;
  private final AccountDirectory directory;
  private final AccountSessions sessions;
  private final Clock clock;
  private final Duration sweepEvery;
  private final Set<String> dirtyUsers = new LinkedHashSet<>();
  private Instant nextSweep = Instant.MIN;
  private final FeedThread thread;

  /** {@code log} may be null: then only the sweep finds changes. */
  ChangeFeed(ChangeLog log, DoveadmClient doveadm, AccountDirectory directory, AccountSessions sessions, Clock clock,
      Duration sweepEvery, String server) {
    this.thread = new FeedThread(this, server);
    this.log = log;
    this.doveadm = doveadm;
    this.directory = directory;
    this.sessions = sessions;
    this.clock = clock;
    this.sweepEvery = sweepEvery;
  }

  /** What one run did. */
  record Run(boolean swept, Set<String> passed, Set<String> stillDirty) {}

  /**
   * Reads the change log, sweeps when a sweep is due, and passes every dirty account. Blocking
   * (IMAP, doveadm): run it on a worker thread.
   */
  synchronized Run runDue() {
    if (log != null) {
      dirtyUsers.addAll(log.changedUsers());
    }
    boolean sweep = !clock.instant().isBefore(nextSweep);
    if (sweep) {
      dirtyUsers.addAll(sweep());
      nextSweep = clock.instant().plus(sweepEvery);
    }
    Set<String> passed = new LinkedHashSet<>();
    for (String user : List.copyOf(dirtyUsers)) {
      try {
        // An account without an id map yet is the next scan's to read whole, at the scan's pace.
        Optional<Account> account = directory.find(user).filter(sessions::known);
        // An account another thread holds stays dirty: waiting for it (a paced scan's pass may hold
        // it for hours) would stall the feed for every account.
        if (account.isPresent()) {
          if (!sessions.passIfFree(account.get().id())) {
            continue;
          }
          passed.add(user);
        }
        dirtyUsers.remove(user);
      } catch (StorefleetException e) {
        LOG.log(Level.WARNING, "the change feed could not pass " + user + " (tried again on its next run): "
            + e.getMessage());
      }
    }
    return new Run(sweep, passed, Set.copyOf(dirtyUsers));
  }

  /** Runs the feed once a second on a thread of its own until {@link #stop}. */
  void start() {
    thread.start();
  }

  void stop() {
    thread.stop();
  }

  /** Makes the next {@link #runDue} sweep. */
  synchronized void sweepNext() {
    nextSweep = Instant.MIN;
  }

  /** The users whose mailboxes differ from their id maps; accounts without a map yet are left to the next scan. */
  private Set<String> sweep() {
    return MailboxSweep.take(doveadm, directory, sessions).dirtyUsers();
  }
}
