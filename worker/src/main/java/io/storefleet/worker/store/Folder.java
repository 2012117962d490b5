package io.storefleet.worker.store;

/**
 * A folder. System folders have fixed ids (1 root, 2 Inbox, 3 Trash, 4 Junk, 5 Sent, 6 Drafts,
 * 7 Contacts, 10 Calendar, 15 Tasks, 16 Briefcase); user folders start at 257 and share the id
 * sequence with items.
 *
 * @param id its id
 * @param parentId its parent's id (the root's parent is itself)
 * @param name its name
 * @param path its absolute path, e.g. {@code /Inbox/Projects}
 * @param view what it holds: message, contact, appointment, task, document
 * @param mount the share it mounts, or null for an ordinary folder
 */
public record Folder(int id, int parentId, String name, String path, String view, Mountpoint mount) {
  public static final int ROOT = 1;
  public static final int INBOX = 2;
  public static final int TRASH = 3;
  public static final int JUNK = 4;
  public static final int SENT = 5;
  public static final int DRAFTS = 6;
  public static final int CONTACTS = 7;
  public static final int CALENDAR = 10;
  public static final int TASKS = 15;
  public static final int BRIEFCASE = 16;
  /** The first id given to user folders and items. */
  public static final int FIRST_USER_ID = 257;

  /**
   * Whether {@code e}, from creating a folder of this {@code view}, is the refusal of a store that
   * holds messages only (IMAP): restores and imports then leave the folder out, and each of its
   * items is unrestored with the store's cause.
   */
  public static boolean notHeld(io.storefleet.protocol.error.StorefleetException e, String view) {
    return e.code() == io.storefleet.protocol.error.ErrorCode.BAD_VALUE && view != null
        && !view.equalsIgnoreCase("message");
  }

  /** Whether this folder is a mountpoint. */
  public boolean isMountpoint() {
    return mount != null;
  }
}
