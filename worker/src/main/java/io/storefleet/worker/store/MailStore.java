package io.storefleet.worker.store;

import java.io.Closeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The worker's only view of its mailbox server. Every method may block on disk or network: call
 * it from a worker thread, never from an event loop.
 *
 * <p>Errors are {@link io.storefleet.protocol.error.StorefleetException}s: NOT_FOUND for a missing
 * object, ALREADY_EXISTS, CONFLICT for a forbidden state, BAD_VALUE for bad input, IO_ERROR for
 * a failed disk or server. A mutation that throws has changed nothing.
 *
 * <p>Zimbra-only notions (integer item ids, mountpoints) are part of this interface; an IMAP
 * implementation maps them (UIDs, ACL plus shared namespace) behind it.
 */
public interface MailStore extends Closeable {

  /** The implementation's name, e.g. {@code local}. */
  String kind();

  // ---- provisioning

  List<Domain> domains();

  Domain createDomain(String name);

  /** Deletes a domain that holds no accounts and no lists (CONFLICT otherwise). */
  void deleteDomain(String name);

  List<Cos> coses();

  /** A COS by name. */
  Optional<Cos> cos(String name);

  Cos createCos(String name, String notes);

  Cos setCosNotes(String name, String notes);

  /** Deletes a COS no account uses (CONFLICT otherwise). */
  void deleteCos(String name);

  List<Account> accounts();

  /** An account by primary name, alias or id, case-insensitive. */
  Optional<Account> account(String nameOrId);

  /** Creates an account in an existing domain and COS, with its system folders. */
  Account createAccount(String name, String cos, Map<String, String> attributes);

  /** Deletes an account and its mailbox. */
  void deleteAccount(String accountId);

  Account addAlias(String accountId, String alias);

  List<DistributionList> distributionLists();

  DistributionList createDistributionList(String name, List<String> members);

  void deleteDistributionList(String name);

  // ---- mailboxes

  List<Folder> folders(String accountId);

  /** A folder by absolute path ({@code /Inbox/Projects}), case-insensitive. */
  Optional<Folder> folder(String accountId, String path);

  /** Creates a folder and any missing parents; returns the existing one if it is there. */
  Folder createFolder(String accountId, String path, String view);

  /** The live items of a mailbox. */
  List<Item> items(String accountId);

  /** How many live items a mailbox has: what a scan's progress counts, without copying them. */
  default int itemCount(String accountId) {
    return items(accountId).size();
  }

  /** The live items of one folder. */
  List<Item> items(String accountId, int folderId);

  Optional<Item> item(String accountId, int itemId);

  /** An item's raw content, byte for byte as it was added. */
  byte[] content(String accountId, int itemId);

  /** One mailbox read atomically together with the journal position it reflects. */
  MailboxSnapshot snapshot(String accountId);

  /**
   * The content with this digest if the store still keeps it after its item was deleted, so that
   * a journal follower that lags behind a deletion can still copy what was created. Stores that
   * drop content with the item answer empty.
   */
  default java.util.Optional<byte[]> retainedContent(String digest, long size) {
    return java.util.Optional.empty();
  }

  /**
   * Adds messages to a folder in one commit; each gets the next id and arrives now.
   *
   * @param raws raw RFC 822 messages, kept byte-exact
   */
  default List<Item> addMessages(
      String accountId, int folderId, List<byte[]> raws, Set<String> flags, Set<String> tags) {
    return addMessages(accountId, folderId, raws, flags, tags, null);
  }

  /**
   * Adds messages to a folder in one commit; each gets the next id. A restore gives the arrival
   * times the backup recorded, so the restored mail sorts and ages as it did: the item's {@link
   * Item#receivedAt} (an IMAP store appends with that INTERNALDATE; IMAP keeps it to the second).
   *
   * @param raws raw RFC 822 messages, kept byte-exact
   * @param receivedAt null (every message arrives now), or one arrival time per message, each
   *     null for now; BAD_VALUE if the sizes differ
   */
  default List<Item> addMessages(String accountId, int folderId, List<byte[]> raws, Set<String> flags,
      Set<String> tags, List<Instant> receivedAt) {
    return addMessages(accountId, folderId, NewMessage.alike(raws, flags, tags, receivedAt, folderId));
  }

  /**
   * Adds messages to a folder in one commit, all or none, each with its own flags, tags and
   * arrival time (see above); a restore writes a folder's messages in such batches whatever their
   * flags. The items come back in the order given.
   */
  List<Item> addMessages(String accountId, int folderId, List<NewMessage> messages);

  /** Adds a non-message item (contact, appointment, task, document) with raw content. */
  Item addItem(String accountId, int folderId, ItemType type, byte[] raw, String subject);

  Item moveItem(String accountId, int itemId, int folderId);

  Item setFlags(String accountId, int itemId, Set<String> flags);

  Item setTags(String accountId, int itemId, Set<String> tags);

  void deleteItem(String accountId, int itemId);

  /** Deletes every item of a folder (not its subfolders); returns how many. */
  int emptyFolder(String accountId, int folderId);

  // ---- shares

  /** Grants rights on an owner's folder to an account (which may live on another server). */
  Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights);

  void revoke(String ownerId, int folderId, String granteeId);

  /** The grants an account made on its folders. */
  List<Grant> grants(String accountId);

  /** Creates a mountpoint folder in the grantee's mailbox pointing at an owner's folder. */
  Folder mount(String granteeId, String path, Mountpoint target);

  // ---- change journal

  /** The sequence number of the last committed mutation, 0 for an empty store. */
  long lastSequence();

  /** The sequence of the last mutation that touched an account, 0 if none. */
  long lastChange(String accountId);

  /** What a scan asks of the store ({@link ScanView}); the default asks the methods of this interface. */
  default ScanView scanView() {
    return ScanView.of(this);
  }

  /**
   * Journal entries with {@code seq >= fromSeq}, oldest first, at most {@code limit}. The
   * {@code detail} of item entries is part of this contract, because the real-time scanner replays
   * it: ITEM_CREATED carries {@code id, folderId, type, size, digest, flags, tags, subject, from,
   * to} (and {@code receivedAt} when it restores an item that arrived earlier); ITEM_MOVED
   * {@code folderId}; ITEM_FLAGS_CHANGED {@code flags}; ITEM_TAGS_CHANGED {@code tags};
   * FOLDER_EMPTIED {@code folderId, itemIds}; ITEM_DELETED needs none. JOURNAL_ADVANCED carries
   * {@code previousSeq}; CONTENT_RESTORED {@code volumeId, digest, size}; neither names an account.
   */
  List<JournalEntry> journal(long fromSeq, int limit);

  /** Calls {@code listener} after each committed mutation, in journal order, on the committing thread. */
  void addListener(Consumer<JournalEntry> listener);

  // ---- raw restore: objects created with the ids and dates a backup recorded
  //
  // A raw restore rebuilds a lost server on an empty one. Unlike the create methods, these keep
  // what the backup says (ids, creation times) and never invent an id, so shares, idmaps and
  // backup histories that name the old ids stay true. Each is journalled like its create
  // counterpart, so journal followers see restored objects as created. The defaults answer
  // NOT_IMPLEMENTED for stores that cannot do it.

  /**
   * Creates a domain with its recorded creation time (null: now). ALREADY_EXISTS if it is there.
   * Journal: DOMAIN_CREATED. An IMAP store keeps provisioning beside the IMAP server (in its
   * directory or its own records) and creates it there.
   */
  default Domain restoreDomain(Domain domain) {
    throw notImplemented("restoreDomain");
  }

  /**
   * Creates a COS with its recorded id, name and notes. ALREADY_EXISTS if the name or the id is
   * taken. Journal: COS_CREATED. IMAP: as for domains.
   */
  default Cos restoreCos(Cos cos) {
    throw notImplemented("restoreCos");
  }

  /**
   * Creates a distribution list with its recorded id and members, in an existing domain.
   * ALREADY_EXISTS if the address is taken. Journal: DL_CREATED. IMAP: as for domains.
   */
  default DistributionList restoreDistributionList(DistributionList list) {
    throw notImplemented("restoreDistributionList");
  }

  /**
   * Creates an account with its recorded id, name, COS, status, attributes, aliases and creation
   * time (null: now), with its system folders, in one commit. Its domain, COS and the aliases'
   * domains must exist (NOT_FOUND naming the missing one); ALREADY_EXISTS if the id, the name or
   * an alias is taken. Journal: ACCOUNT_CREATED (with the id), then one ALIAS_ADDED per alias. An
   * IMAP store creates the user in its user database and keeps the storefleet id beside it.
   */
  default Account restoreAccount(Account account) {
    throw notImplemented("restoreAccount");
  }

  /**
   * Creates a user folder or mountpoint with its recorded id, parent, name, view and mount
   * target. The parent must exist and not be a mountpoint; system folders (ids below {@link
   * Folder#FIRST_USER_ID}) come with the account and are refused (BAD_VALUE); ALREADY_EXISTS if
   * the id or the path is taken. Journal: FOLDER_CREATED, or MOUNTPOINT_CREATED for a mountpoint.
   * An IMAP store creates the mailbox and records the folder id beside it (IMAP has no folder ids).
   */
  default Folder restoreFolder(String accountId, Folder folder) {
    throw notImplemented("restoreFolder");
  }

  /**
   * Creates items with their recorded ids, folders, types, sizes, digests, flags, tags, headers
   * and arrival times, in one commit, <b>without their content</b>: {@link #content} fails for
   * them (IO_ERROR naming doRestoreBlobs) and {@link #missingContent} lists them until {@link
   * #restoreContent} brings the content back. Ids must be free in the mailbox (ALREADY_EXISTS)
   * and at least {@link Folder#FIRST_USER_ID}; folders must exist and not be mountpoints. Journal:
   * one ITEM_CREATED per item, with the detail the journal contract gives it. An IMAP store
   * cannot hold a message without its content: it records the metadata beside the server and
   * APPENDs each message when its content comes back, mapping the item id to the new UID.
   */
  default List<Item> restoreItems(String accountId, List<Item> items) {
    throw notImplemented("restoreItems");
  }

  /**
   * Makes every later mutation's sequence greater than {@code past}. If {@link #lastSequence()}
   * is lower, one JOURNAL_ADVANCED entry is committed with sequence {@code past + 1}; otherwise
   * nothing changes. A backup follows the journal by position: a store rebuilt on an empty server
   * must continue after every position the backup recorded, or the backup would take its new
   * changes for ones it already has. An IMAP store raises the sequence of the journal it keeps.
   *
   * @return the last sequence after the call
   */
  default long advanceJournal(long past) {
    throw notImplemented("advanceJournal");
  }

  // ---- volumes: where contents are kept

  /** The store's content volumes. */
  default List<Volume> volumes() {
    throw notImplemented("volumes");
  }

  /**
   * The live items of a volume whose content is absent or damaged (not the content their size
   * and digest name), reading every content of the volume to tell. NOT_FOUND for an unknown
   * volume. An IMAP store lists the items whose messages it has not APPENDed yet, or whose
   * FETCHed body does not match.
   */
  default List<MissingContent> missingContent(int volumeId) {
    throw notImplemented("missingContent");
  }

  /**
   * Puts contents back on a volume, keyed by digest, for every item that names them: durably,
   * each read back and checked, with one journal commit for the lot. Contents the volume already
   * holds intact are left alone. All or nothing: BAD_VALUE if a content does not have its digest,
   * NOT_FOUND if no live item of the volume names one, and nothing is written. Journal: one
   * CONTENT_RESTORED per content written. An IMAP store APPENDs each message to the folder of
   * every item that names it.
   *
   * @return the digests written
   */
  default Set<String> restoreContent(int volumeId, Map<String, byte[]> contents) {
    throw notImplemented("restoreContent");
  }

  private io.storefleet.protocol.error.StorefleetException notImplemented(String what) {
    return io.storefleet.protocol.error.ErrorCode.NOT_IMPLEMENTED.exception(
        "the " + kind() + " mail store does not implement " + what + "; raw restore and blob restore need it");
  }

  // ---- share repair (doFixShares)

  /**
   * Points an existing mountpoint at another owner folder, keeping its id, name and place: what
   * a share fix does after an import gave the owner and its folders new ids. Pointing it where
   * it already points changes nothing. NOT_FOUND if the folder does not exist, CONFLICT if it is
   * not a mountpoint, BAD_VALUE for a target that names no owner or the holder itself.
   */
  Folder repointMountpoint(String accountId, int folderId, Mountpoint target);
}
