package io.storefleet.worker.store.imap;

import io.storefleet.worker.backup.format.BlobCodec;
import java.util.Optional;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Dovecot's lazy_expunge mailbox, when the site enables the plugin: it holds a copy of every
 * message expunged (its last instance) until the site's autoexpunge removes it. It is never one
 * of the account's folders; the store reads it only for the content of expunged messages.
 */
final class LazyExpunge {
  /** The site does not use lazy_expunge. */
  static final LazyExpunge NONE = new LazyExpunge(null);

  private final String mailbox;

  LazyExpunge(String mailbox) {
    this.mailbox = mailbox;
  }

  boolean used() {
    return mailbox != null;
  }

  /** Whether {@code m} is the lazy_expunge mailbox or under it. */
  boolean hides(MailboxStatus m) {
    return mailbox != null && (m.name().equals(mailbox) || m.name().startsWith(mailbox + m.separator()));
  }

  /** The wire bytes of an expunged message of the session's account with this digest and size, if kept. */
  Optional<byte[]> find(ImapSession session, String digest, long size) throws ProtocolException {
    if (mailbox == null) {
      return Optional.empty();
    }
    try {
      for (long uid : session.uidsOfSize(mailbox, size)) {
        Optional<byte[]> wire = session.body(mailbox, uid);
        if (wire.isPresent() && BlobCodec.sha256(wire.get()).equals(digest)) {
          return wire;
        }
      }
    } catch (CommandFailedException e) {
      return Optional.empty(); // no message of the account was expunged yet: the mailbox does not exist
    }
    return Optional.empty();
  }
}
