package io.storefleet.worker.store;

/**
 * The kinds of store mutation recorded in the change journal.
 *
 * <p>Version note: MOUNTPOINT_CHANGED was added with doFixShares. A journal holding one cannot be
 * replayed by an older worker (it fails naming the unknown type), so upgrade before fixing shares.
 */
public enum Mutation {
  DOMAIN_CREATED,
  DOMAIN_DELETED,
  COS_CREATED,
  COS_UPDATED,
  COS_DELETED,
  ACCOUNT_CREATED,
  ACCOUNT_DELETED,
  ACCOUNT_UPDATED,
  ALIAS_ADDED,
  DL_CREATED,
  DL_DELETED,
  FOLDER_CREATED,
  MOUNTPOINT_CREATED,
  FOLDER_EMPTIED,
  ITEM_CREATED,
  ITEM_MOVED,
  ITEM_FLAGS_CHANGED,
  ITEM_TAGS_CHANGED,
  ITEM_DELETED,
  GRANT_ADDED,
  GRANT_REMOVED,
  /** A mountpoint re-pointed at another owner folder (doFixShares). */
  MOUNTPOINT_CHANGED
}
