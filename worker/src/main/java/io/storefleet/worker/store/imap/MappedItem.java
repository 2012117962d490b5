package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.util.Set;

/**
 * One message as the id map knows it: where it is on the server and what storefleet calls it.
 *
 * @param id the storefleet item id
 * @param folderId its folder's id
 * @param mailboxGuid the mailbox it is in (Dovecot's mailbox GUID)
 * @param uidValidity that mailbox's UIDVALIDITY when {@code uid} was learnt
 * @param uid its UID there
 * @param messageGuid its X-GUID, which MOVE keeps
 * @param digest SHA-256 of its wire bytes, taken once (messages are immutable)
 * @param size its wire size
 * @param flags its flags
 * @param tags its tags (unescaped keywords)
 * @param receivedAt its INTERNALDATE
 * @param subject decoded Subject
 * @param from From header
 * @param to To and Cc headers
 * @param modSeq the journal sequence of its last change
 * @param modifiedAt when it last changed
 */
record MappedItem(int id, int folderId, String mailboxGuid, long uidValidity, long uid, String messageGuid,
    String digest, long size, Set<String> flags, Set<String> tags, Instant receivedAt, String subject, String from,
    String to, long modSeq, Instant modifiedAt) {

  MappedItem {
    flags = Set.copyOf(flags);
    tags = Set.copyOf(tags);
  }

  Item item() {
    return new Item(id, folderId, ItemType.MESSAGE, size, digest, flags, tags, modSeq, modifiedAt, receivedAt,
        subject, from, to);
  }

  MappedItem at(int newFolderId, String newMailboxGuid, long newUidValidity, long newUid, long seq, Instant when) {
    return new MappedItem(id, newFolderId, newMailboxGuid, newUidValidity, newUid, messageGuid, digest, size, flags,
        tags, receivedAt, subject, from, to, seq, when);
  }

  /** The same message under another id, as last changed at {@code seq}. */
  MappedItem as(int newId, int newFolderId, Set<String> newFlags, Set<String> newTags, long seq, Instant when) {
    return new MappedItem(newId, newFolderId, mailboxGuid, uidValidity, uid, messageGuid, digest, size, newFlags,
        newTags, receivedAt, subject, from, to, seq, when);
  }

  MappedItem withFlags(Set<String> newFlags, Set<String> newTags, long seq, Instant when) {
    return new MappedItem(id, folderId, mailboxGuid, uidValidity, uid, messageGuid, digest, size, newFlags, newTags,
        receivedAt, subject, from, to, seq, when);
  }
}
