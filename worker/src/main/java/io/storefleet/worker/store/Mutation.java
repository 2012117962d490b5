package io.storefleet.worker.store;

/**
 * The kinds of store mutation recorded in the change journal. New kinds are only ever added at the
 * end: journal followers (the real-time scanner) treat a kind they do not replay item by item as
 * an account-level change, or as a provisioning change when it names no account.
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
  /**
   * The journal continues at a higher sequence than the entry before it (the only entry that may
   * follow a gap). A store rebuilt by a raw restore continues the positions its backup recorded,
   * so that followers that kept their position see every later change. No account.
   */
  JOURNAL_ADVANCED,
  /** A volume got back the content of a digest (doRestoreBlobs). No account: items share contents. */
  CONTENT_RESTORED,
  /** A mountpoint re-pointed at another owner folder (doFixShares). */
  MOUNTPOINT_CHANGED
}
