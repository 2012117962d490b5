package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.ScanView;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a scan reads the imap store so that each message is read once and an unchanged account
 * costs no login: the pass that brings an account up to date hands each new message's bytes to
 * the scan's sink (read and digested once, in the same UID FETCH); accounts the scan's sweep saw
 * unchanged ({@link ScanWindow}) are answered from the journal and the id map; ACLs are read only
 * when {@link AclReads} says so; the dictionary's sample is message heads ({@link HeadSample}),
 * not a pass.
 */
final class ImapScanView implements ScanView {
  private final ImapConnections imap;
  private final ImapJournal journal;
  private final AccountSessions sessions;
  private final LazyExpunge lazy;
  private final ScanWindow window;

  ImapScanView(ImapConnections imap, ImapJournal journal, AccountSessions sessions,
      LazyExpunge lazy, ScanWindow window) {
    this.imap = imap;
    this.journal = journal;
    this.sessions = sessions;
    this.lazy = lazy;
    this.window = window;
  }

  @Override
  public Runnable begin() {
    return window.open();
  }

  /** From the id map without a pass; for an account without one, the count the scan's sweep saw. */
  @Override
  public int itemCount(String accountId) {
    Account a = sessions.require(accountId);
    int mapped = sessions.count(a.id());
    if (mapped >= 0) {
      return mapped;
    }
    return (int) Math.min(Integer.MAX_VALUE, window.messages(a).orElse(0));
  }

  @Override
  public long lastChange(String accountId, ContentSink sink) {
    Account a = sessions.require(accountId);
    if (!window.unchanged(a.id())) {
      sessions.passForScan(a.id(), sink, window.mailboxes(a));
      window.passed(a.id());
    }
    return journal.lastChange(a.id());
  }

  /** Without a second pass (nor a login) when the scan has just passed the account or knows it unchanged. */
  @Override
  public MailboxSnapshot snapshot(String accountId, ContentSink sink) {
    if (window.upToDate(accountId)) {
      Optional<MailboxSnapshot> mapped = sessions.snapshotAsMapped(accountId);
      if (mapped.isPresent()) {
        return mapped.get();
      }
    }
    return sessions.snapshot(accountId, sink, false);
  }

  /**
   * One account per connection but one, and 2 (as on a 2-core machine before) when only 2 are
   * allowed: a pass holds its account's session for as long as it reads, minutes for a large
   * account in a full scan, and the change feed, restores and exports must still get one within
   * their wait for a free connection.
   */
  @Override
  public OptionalInt accountsAtOnce() {
    int max = imap.maxConnections();
    return OptionalInt.of(Math.min(max, Math.max(2, max - 1)));
  }

  @Override
  public Optional<List<byte[]>> contentHeads(String accountId, int count, int headBytes) {
    Account a = sessions.require(accountId);
    return Optional.of(window.unchanged(a.id()) ? List.of()
        : imap.call(a.name(), s -> HeadSample.read(s, lazy, count, headBytes)));
  }
}
