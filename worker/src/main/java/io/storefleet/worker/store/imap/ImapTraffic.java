package io.storefleet.worker.store.imap;

import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;

/**
 * What the store asked of its server since it opened: logins, mailboxes opened (SELECT or
 * EXAMINE), mailbox lists read (LIST) and whole messages read. The counts that say whether a scan
 * read a message twice, or opened an account or a mailbox, or listed one's mailboxes, when it need not have. A message read is a whole {@code BODY[]}
 * literal the server sent (neither a part nor a partial {@code BODY[]<0>} read), counted from the
 * responses received, not from the commands sent: a FETCH of many messages counts each one it
 * brought, one that found its message gone counts none.
 */
public final class ImapTraffic {
  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong messagesRead = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong mailboxesOpened = new AtomicLong();
  private final AtomicLong lists = new AtomicLong();

  /** A copy of the counts at one moment. */
  public record Counts(long logins, long messagesRead, long bytesRead, long mailboxesOpened, long lists) {
    /** What happened between {@code earlier} and this. */
    public Counts since(Counts earlier) {
      return new Counts(logins - earlier.logins, messagesRead - earlier.messagesRead, bytesRead - earlier.bytesRead,
          mailboxesOpened - earlier.mailboxesOpened, lists - earlier.lists);
    }
  }

  public Counts counts() {
    return new Counts(logins.get(), messagesRead.get(), bytesRead.get(), mailboxesOpened.get(), lists.get());
  }

  void listed() {
    lists.incrementAndGet();
  }

  void mailboxOpened() {
    mailboxesOpened.incrementAndGet();
  }

  void login() {
    logins.incrementAndGet();
  }

  /** Counts the whole messages ({@code BODY[]} literals) a response carries, if it is a FETCH. */
  void received(Response r) {
    if (!(r instanceof FetchResponse f)) {
      return;
    }
    for (int i = 0; i < f.getItemCount(); i++) {
      if (f.getItem(i) instanceof BODY body && body.getByteArray() != null && body.getSection().isEmpty()
          && body.getOrigin() < 0) {
        messagesRead.incrementAndGet();
        bytesRead.addAndGet(body.getByteArray().getCount());
      }
    }
  }
}
