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

  record ItemCreated(int id, int folderId, ItemType type, long size, String digest, Set<String> flags,
      Set<String> tags, String subject, String from, String to, Instant receivedAt) {
    static ItemCreated of(MappedItem i) {
      return new ItemCreated(i.id(), i.folderId(), ItemType.MESSAGE, i.size(), i.digest(), i.flags(), i.tags(),
          i.subject(), i.from(), i.to(), i.receivedAt());
    }
  }

  record ItemMoved(int fromFolderId, int folderId) {}

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
