package io.storefleet.worker.store.imap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a scan reads an account's ACLs again. Nothing Dovecot offers says that an ACL changed:
 * SETACL moves no HIGHESTMODSEQ, writes no {@code mail_log} line, and the {@code dovecot-acl}
 * file's time is not visible through doveadm or IMAP. So a scan reads them when the account's
 * mailbox list differs from the one at the last read (a new, renamed or deleted mailbox may
 * carry or lose ACLs), when they were never read since the worker started, and otherwise at most
 * every {@link #EVERY}: the periodic ACL sweep, and the recovery point of a grant another client
 * changed (docs/mailstores.md). Reads outside scans ({@code grants}, plain snapshots) always read.
 */
public final class AclReads {
  public static final Duration EVERY = Duration.ofHours(24);

  private record Last(Instant at, Set<String> mailboxes) {}

  private final Clock clock;
  private final Map<String, Last> last = new ConcurrentHashMap<>();

  AclReads(Clock clock) {
    this.clock = clock;
  }

  /** Whether the opened account's ACLs may have changed since they were last read. */
  boolean due(Opened o) {
    Last l = last.get(o.account().id());
    return l == null || expired(l) || !l.mailboxes().equals(mailboxes(o));
  }

  /** Whether the account's ACLs are due whatever its mailboxes: never read, or read too long ago. */
  boolean dueByTime(String accountId) {
    Last l = last.get(accountId);
    return l == null || expired(l);
  }

  /** The ACLs of the opened account were read now. */
  void read(Opened o) {
    last.put(o.account().id(), new Last(clock.instant(), mailboxes(o)));
  }

  void forget(String accountId) {
    last.remove(accountId);
  }

  private boolean expired(Last l) {
    return !clock.instant().isBefore(l.at().plus(EVERY));
  }

  private static Set<String> mailboxes(Opened o) {
    Set<String> out = new TreeSet<>();
    for (MappedFolder f : o.folders()) {
      if (f.selectable()) {
        out.add(f.mailbox().guid() + "\u0000" + f.mailbox().name());
      }
    }
    return out;
  }
}
