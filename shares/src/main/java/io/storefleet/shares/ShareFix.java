package io.storefleet.shares;

/**
 * One change that repairs a share, applied on the server that stores the object. Only the
 * fields of its action are set.
 *
 * @param action what to do
 * @param server the server whose store is changed
 * @param accountId REGRANT: the owner; REPOINT: the mountpoint's holder
 * @param folderId REGRANT: the shared folder; REPOINT: the mountpoint folder
 * @param oldGranteeId REGRANT: the grantee id the grant names now
 * @param newGranteeId REGRANT: the grantee's current id
 * @param newGranteeName REGRANT: the grantee's current address
 * @param rights REGRANT: the rights, unchanged
 * @param from REPOINT: where the mountpoint points now
 * @param to REPOINT: where it must point
 */
public record ShareFix(
    Action action,
    String server,
    String accountId,
    int folderId,
    String oldGranteeId,
    String newGranteeId,
    String newGranteeName,
    String rights,
    Target from,
    Target to) {

  /**
   * Where a mountpoint points, as the fix names it. The worker's store has its own mountpoint
   * type; this one keeps the share check free of the store, with the same JSON fields.
   *
   * @param ownerId the owner's account id ({@code zid})
   * @param remoteFolderId the owner's folder id ({@code rid})
   * @param ownerName the owner's address ({@code owner})
   */
  public record Target(String ownerId, int remoteFolderId, String ownerName) {}

  /** The two repairs. */
  public enum Action {
    /** Grant the same rights to the grantee's current id, then revoke the grant to the old id. */
    REGRANT,
    /** Point the mountpoint at the owner's current id and folder id. */
    REPOINT
  }

  public static ShareFix regrant(String server, String ownerId, int folderId, String oldGranteeId, String newGranteeId,
      String newGranteeName, String rights) {
    return new ShareFix(Action.REGRANT, server, ownerId, folderId, oldGranteeId, newGranteeId, newGranteeName, rights,
        null, null);
  }

  public static ShareFix repoint(String server, String holderId, int folderId, Target from, Target to) {
    return new ShareFix(Action.REPOINT, server, holderId, folderId, null, null, null, null, from, to);
  }
}
