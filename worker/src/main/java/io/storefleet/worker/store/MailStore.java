package io.storefleet.worker.store;

import java.io.Closeable;
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
   * Adds messages to a folder in one commit; each gets the next id.
   *
   * @param raws raw RFC 822 messages, kept byte-exact
   */
  List<Item> addMessages(
      String accountId, int folderId, List<byte[]> raws, Set<String> flags, Set<String> tags);

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

  /**
   * Journal entries with {@code seq >= fromSeq}, oldest first, at most {@code limit}. The
   * {@code detail} of item entries is part of this contract, because the real-time scanner replays
   * it: ITEM_CREATED carries {@code id, folderId, type, size, digest, flags, tags, subject, from,
   * to}; ITEM_MOVED {@code folderId}; ITEM_FLAGS_CHANGED {@code flags}; ITEM_TAGS_CHANGED
   * {@code tags}; FOLDER_EMPTIED {@code folderId, itemIds}; ITEM_DELETED needs none.
   */
  List<JournalEntry> journal(long fromSeq, int limit);

  /** Calls {@code listener} after each committed mutation, in journal order, on the committing thread. */
  void addListener(Consumer<JournalEntry> listener);

  // ---- share repair (doFixShares)

  /**
   * Points an existing mountpoint at another owner folder, keeping its id, name and place: what
   * a share fix does after an import gave the owner and its folders new ids. Pointing it where
   * it already points changes nothing. NOT_FOUND if the folder does not exist, CONFLICT if it is
   * not a mountpoint, BAD_VALUE for a target that names no owner or the holder itself.
   */
  Folder repointMountpoint(String accountId, int folderId, Mountpoint target);
}
