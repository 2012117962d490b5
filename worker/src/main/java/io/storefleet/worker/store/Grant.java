package io.storefleet.worker.store;

/**
 * A share: rights on an owner's folder given to another account, which may live on another
 * server.
 *
 * @param ownerId the owner's account id
 * @param folderId the shared folder's id in the owner's mailbox
 * @param granteeId the grantee's account id
 * @param granteeName the grantee's address when the grant was made
 * @param rights the rights, e.g. {@code r}, {@code rw}, {@code rwidx}
 */
public record Grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {}
