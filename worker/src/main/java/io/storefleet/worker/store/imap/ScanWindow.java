package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.store.Account;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a scan of every account knows without opening any: at its start one {@link MailboxSweep}
 * (a single doveadm request) tells which accounts are exactly as their id maps last saw them. For
 * those, while the scan runs, {@code lastChange} comes from the journal and {@code itemCount} from
 * the map, with no IMAP login; an account whose ACLs are due ({@link AclReads}) is opened anyway.
 * A change another client makes after the sweep is the next scan's, as if made after the scan.
 * An account the scan has passed once is not passed again for its snapshot.
 */
final class ScanWindow {
  private static final Logger LOG = Logger.getLogger(ScanWindow.class.getName());
  private final Supplier<MailboxSweep> sweep;
  private final AclReads acls;
  private volatile MailboxSweep current;
  private final Set<String> passed = ConcurrentHashMap.newKeySet();

  ScanWindow(Supplier<MailboxSweep> sweep, AclReads acls) {
    this.sweep = sweep;
    this.acls = acls;
  }

  /**
   * Takes the sweep; the returned action ends the window. A sweep that fails (doveadm down) opens
   * none: the scan then opens every account, as it would without the window.
   */
  Runnable open() {
    MailboxSweep taken;
    try {
      taken = sweep.get();
    } catch (StorefleetException e) {
      LOG.log(Level.WARNING, "no sweep for this scan, every account is opened: " + e.getMessage());
      return () -> { };
    }
    passed.clear();
    current = taken;
    return () -> {
      if (current == taken) {
        current = null;
      }
    };
  }

  /** Whether the account is known unchanged since its last pass, ACLs included, in the scan under way. */
  boolean unchanged(String accountId) {
    MailboxSweep s = current;
    return s != null && s.unchanged().contains(accountId) && !acls.dueByTime(accountId);
  }

  /** The scan has brought the account up to date (a pass). */
  void passed(String accountId) {
    if (current != null) {
      passed.add(accountId);
    }
  }

  /** Whether the account's id map is as current as the scan needs: unchanged, or passed by it. */
  boolean upToDate(String accountId) {
    return unchanged(accountId) || (current != null && passed.contains(accountId));
  }

  /** The account's message count as the scan's sweep saw it; empty outside a scan or for a user it did not list. */
  OptionalLong messages(Account account) {
    MailboxSweep s = current;
    Long n = s == null ? null : s.messages().get(account.name().toLowerCase(Locale.ROOT));
    return n == null ? OptionalLong.empty() : OptionalLong.of(n);
  }

  /** The account's mailboxes as the scan's sweep saw them; empty outside a scan or for a user it did not list. */
  Optional<List<DoveadmClient.SweptMailbox>> mailboxes(Account account) {
    MailboxSweep s = current;
    return s == null ? Optional.empty()
        : Optional.ofNullable(s.mailboxes().get(account.name().toLowerCase(Locale.ROOT)));
  }

  /** Whether a scan is under way. */
  boolean active() {
    return current != null;
  }
}
