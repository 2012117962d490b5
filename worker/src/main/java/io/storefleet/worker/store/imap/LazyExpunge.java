package io.storefleet.worker.store.imap;

import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mutation;
import java.util.List;
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

  /**
   * Adds to {@code changes} the mail that arrived and was expunged since the last pass, which the
   * pass itself never saw: messages new in the lazy_expunge mailbox that no item of the map has
   * (X-GUID), that the journal never created for the account and that {@code changes} does not
   * create (digest). Each is journalled created then deleted, in INBOX: Dovecot does not keep the
   * mailbox a message was expunged from. The first pass of a map only notes where the mailbox is.
   */
  void unseenExpunges(ImapSession session, String accountId, AccountMap map, ImapJournal journal,
      ChangeSet changes) throws ProtocolException {
    if (mailbox == null) {
      return;
    }
    long[] now = session.status(mailbox).orElse(new long[] {0, 0});
    AccountMap.MailboxMark was = map.lazyExpunge();
    AccountMap.MailboxMark mark = new AccountMap.MailboxMark(0, mailbox, now[0], now[1]);
    changes.afterJournal(() -> map.lazyExpunge(mark));
    if (was == null || now[0] == 0 || (was.uidValidity() == now[0] && was.highestModSeq() == now[1])) {
      return;
    }
    List<MessageMeta> added = was.uidValidity() == now[0]
        ? session.changesSince(mailbox, was.highestModSeq()).changed()
        : session.messages(mailbox);
    MailboxStatus inLazy = new MailboxStatus(mailbox, '/', java.util.Set.of(), true, now[0], now[1], "");
    for (MessageMeta m : added) {
      if (map.hasMessage(m.guid())) {
        continue; // its expunge is the next pass's to see in its own mailbox
      }
      Optional<byte[]> wire = session.body(mailbox, m.uid());
      if (wire.isEmpty()) {
        continue;
      }
      MappedItem item = Reconciler.mapped(map.newId(), Folder.INBOX, inLazy, m, wire.get());
      if (changes.creates(item.digest()) || journal.accountsThatCreated(item.digest()).contains(accountId)) {
        continue;
      }
      changes.add(Mutation.ITEM_CREATED, item.id(), JournalDetails.ItemCreated.of(item), null);
      changes.add(Mutation.ITEM_DELETED, item.id(), new JournalDetails.ItemDeleted(Folder.INBOX), null);
    }
  }

  /**
   * The wire bytes of an expunged message from the lazy_expunge mailbox of an account the journal
   * says had its digest; empty without lazy_expunge or once the site's autoexpunge removed it.
   */
  Optional<byte[]> retained(String digest, long size, ImapJournal journal, AccountDirectory directory,
      ImapConnections imap) {
    if (mailbox == null || digest == null) {
      return Optional.empty();
    }
    for (String accountId : journal.accountsThatCreated(digest)) {
      Optional<io.storefleet.worker.store.Account> account = directory.find(accountId);
      if (account.isPresent()) {
        Optional<byte[]> kept = imap.call(account.get().name(), s -> find(s, digest, size));
        if (kept.isPresent()) {
          return kept;
        }
      }
    }
    return Optional.empty();
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
