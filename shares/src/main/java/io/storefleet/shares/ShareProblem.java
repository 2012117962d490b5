package io.storefleet.shares;

/**
 * One broken share: a grant or a mountpoint, why it is broken, and the fix the selected import
 * maps (or the name fallback) would apply.
 *
 * @param kind a grant or a mountpoint
 * @param server the server that stores the broken object
 * @param folderId the grant's shared folder, or the mountpoint folder
 * @param folderPath that folder's path
 * @param owner the share's owner: for a grant the account that made it, for a mountpoint the
 *     account it names
 * @param grantee the share's grantee: for a grant the account it names, for a mountpoint its
 *     holder
 * @param remoteFolderId for a mountpoint, the owner's folder id it names; 0 for a grant
 * @param cause why it is broken
 * @param detail the cause in words
 * @param fix the change that repairs it, or null when none is needed or none is known
 * @param resolution how the fix was found, or null when there is none
 * @param fixable whether, once every planned fix is applied, this share works
 * @param fixText the fix (or why there is none) in words
 */
public record ShareProblem(
    Kind kind,
    String server,
    int folderId,
    String folderPath,
    Side owner,
    Side grantee,
    int remoteFolderId,
    Cause cause,
    String detail,
    ShareFix fix,
    Resolution resolution,
    boolean fixable,
    String fixText) {

  /** The two halves of a share. */
  public enum Kind {
    /** Rights on the owner's folder, stored in the owner's mailbox. */
    GRANT,
    /** A folder in the grantee's mailbox showing the owner's folder. */
    MOUNTPOINT
  }

  /** Why a share is broken. */
  public enum Cause {
    /** A grant names a grantee id no server has. */
    GRANTEE_UNKNOWN,
    /** A mountpoint names an owner id no server has. */
    OWNER_UNKNOWN,
    /** A mountpoint's owner exists but has no ordinary folder with the id it names. */
    FOLDER_MISSING,
    /** A mountpoint's owner folder exists but is not shared with the mountpoint's holder. */
    NO_GRANT
  }

  /**
   * One side of a share.
   *
   * @param id the account id the object names
   * @param name the address
   * @param server the server that has this id, or null when no server has it
   */
  public record Side(String id, String name, String server) {}

  /**
   * How a fix was found.
   *
   * @param via the kind of evidence
   * @param server for MAP, the server holding the map
   * @param file for MAP, the map file
   * @param note what was matched, in words
   */
  public record Resolution(Via via, String server, String file, String note) {}

  /** The kinds of evidence a fix rests on. */
  public enum Via {
    /** An import map entry. */
    MAP,
    /** No map entry: an account with the same address (as Kopano resolves ACL members). */
    NAME,
    /** No map entry for the folder: the one folder the new owner shares with the holder. */
    OWNER_GRANT,
    /** Nothing to change here: the re-grant of the owner's grant repairs it. */
    GRANT_FIX
  }
}
