package io.storefleet.worker.store.imap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the store asked of its server since it opened: logins, mailboxes opened (SELECT or
 * EXAMINE) and whole messages read. The counts that say whether a scan read a message twice, or
 * opened an account or a mailbox it need not have.
 */
public final class ImapTraffic {
  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong messagesRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong mailboxesOpened = new AtomicLong();

  /** A copy of the counts at one moment. */
  public record Counts(long logins, long messagesRead, long bytesRead, long mailboxesOpened) {
    /** What happened between {@code earlier} and this. */
    public Counts since(Counts earlier) {
      return new Counts(logins - earlier.logins, messagesRead - earlier.messagesRead, bytesRead - earlier.bytesRead,
          mailboxesOpened - earlier.mailboxesOpened);
    }
  }

  public Counts counts() {
    return new Counts(logins.get(), messagesRead.get(), bytesRead.get(), mailboxesOpened.get());
  }

  void mailboxOpened() {
    mailboxesOpened.incrementAndGet();
  }

  void login() {
    logins.incrementAndGet();
  }

  void messageRead(int bytes) {
    messagesRead.incrementAndGet();
    bytesRead.addAndGet(bytes);
  }
}
