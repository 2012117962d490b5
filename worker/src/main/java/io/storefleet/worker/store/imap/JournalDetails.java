package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.Mountpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code detail} of the journal entries the imap store writes, in the shapes the {@link
 * io.storefleet.worker.store.MailStore#journal} contract gives (the real-time scanner replays them).
 */
final class JournalDetails {
  private JournalDetails() {}

  record AccountCreated(String id, String name, String domain, String cos, String status,
      Map<String, String> attributes, Instant createdAt) {}

  record Named(String name) {}

  /** ACCOUNT_UPDATED for what has no item-level entry: a folder renamed or deleted by another client. */
  record FoldersChanged(String reason, int folderId, String mailbox) {}

  record FolderCreated(int id, int parentId, String name, String view) {}

  record FolderEmptied(int folderId, List<Integer> itemIds) {}

  /**
   * Where a message is on the server, carried by the entries that put it somewhere so that an id
   * map whose record was lost is healed from the journal ({@link MapHealing}); not part of the
   * SPI's detail shapes (other readers ignore it).
   */
  record Place(String mailboxGuid, long uidValidity, long uid, String messageGuid) {
    static Place of(MappedItem i) {
      return new Place(i.mailboxGuid(), i.uidValidity(), i.uid(), i.messageGuid());
    }
  }

  /** @param place where the message is; null for an item a raw restore created, awaiting its content */
  record ItemCreated(int id, int folderId, ItemType type, long size, String digest, Set<String> flags,
      Set<String> tags, String subject, String from, String to, Instant receivedAt, Place place) {
    static ItemCreated of(MappedItem i) {
      return new ItemCreated(i.id(), i.folderId(), ItemType.MESSAGE, i.size(), i.digest(), i.flags(), i.tags(),
          i.subject(), i.from(), i.to(), i.receivedAt(), Place.of(i));
    }
  }

  /** @param place where the message is now (null in entries written before places were journalled) */
  record ItemMoved(int fromFolderId, int folderId, Place place) {}

  record ItemFlags(Set<String> flags) {}

  record ItemTags(Set<String> tags) {}

  record ItemDeleted(int folderId) {}

  /** GRANT_ADDED, also when a grant's rights changed. */
  record GrantAdded(int folderId, String granteeId, String granteeName, String rights) {}

  record GrantRemoved(int folderId, String granteeId) {}

  /** MOUNTPOINT_CREATED, in FOLDER_CREATED's shape with the target. */
  record MountpointCreated(int id, int parentId, String name, String view, Mountpoint mount) {}

  record MountpointChanged(int folderId, Mountpoint from, Mountpoint to) {}
}
