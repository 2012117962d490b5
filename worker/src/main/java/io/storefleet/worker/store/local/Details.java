package io.storefleet.worker.store.local;

import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.Mountpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code detail} of each journal entry type, as typed records so that writing and replaying
 * cannot drift apart. Changing a record's fields changes the on-disk journal format: only ever
 * add nullable fields.
 */
final class Details {
  private Details() {}

  /** DOMAIN_DELETED, COS_DELETED, DL_DELETED, ACCOUNT_DELETED. */
  record Named(String name) {}

  /** DOMAIN_CREATED; {@code createdAt} only when a raw restore keeps the recorded one. */
  record DomainCreated(String name, Instant createdAt) {}

  /** COS_CREATED, COS_UPDATED. */
  record CosState(String id, String name, String notes) {}

  /**
   * ACCOUNT_CREATED; its system folders are implied. {@code createdAt} only when a raw restore
   * keeps the recorded one.
   */
  record AccountCreated(
      String id, String name, String domain, String cos, String status, Map<String, String> attributes,
      Instant createdAt) {}

  /** ALIAS_ADDED. */
  record AliasAdded(String alias) {}

  /** DL_CREATED. */
  record ListCreated(String id, String name, List<String> members) {}

  /** FOLDER_CREATED, and MOUNTPOINT_CREATED with {@code mount} set. */
  record FolderCreated(int id, int parentId, String name, String view, Mountpoint mount) {}

  /** FOLDER_EMPTIED. */
  record FolderEmptied(int folderId, List<Integer> itemIds) {}

  /**
   * ITEM_CREATED; the content is the blob named by {@code digest}, which a raw restore leaves
   * absent until CONTENT_RESTORED. {@code receivedAt} only when a raw restore keeps the recorded
   * arrival.
   */
  record ItemCreated(
      int id,
      int folderId,
      ItemType type,
      long size,
      String digest,
      Set<String> flags,
      Set<String> tags,
      String subject,
      String from,
      String to,
      Instant receivedAt) {}

  /** ITEM_MOVED. */
  record ItemMoved(int fromFolderId, int folderId) {}

  /** ITEM_FLAGS_CHANGED. */
  record ItemFlags(Set<String> flags) {}

  /** ITEM_TAGS_CHANGED. */
  record ItemTags(Set<String> tags) {}

  /** ITEM_DELETED. */
  record ItemDeleted(int folderId) {}

  /** GRANT_ADDED. */
  record GrantAdded(int folderId, String granteeId, String granteeName, String rights) {}

  /** GRANT_REMOVED. */
  record GrantRemoved(int folderId, String granteeId) {}

  /** JOURNAL_ADVANCED: the sequence before the gap this entry ends. */
  record JournalAdvanced(long previousSeq) {}

  /** CONTENT_RESTORED. */
  record ContentRestored(int volumeId, String digest, long size) {}

  /** MOUNTPOINT_CHANGED: the mountpoint's new target; {@code from} is kept for people reading the journal. */
  record MountpointChanged(int folderId, Mountpoint from, Mountpoint to) {}
}
