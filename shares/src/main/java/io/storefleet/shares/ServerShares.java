package io.storefleet.shares;

import java.util.List;

/**
 * What one server knows about shares: its accounts and their folders, the grants its accounts
 * made, the mountpoints in its mailboxes, and the accounts its import maps name. A share check
 * gathers this from every server before judging any share, because each share has a side on
 * two servers.
 *
 * @param server the server
 * @param accounts its accounts
 * @param grants the grants its accounts made on their folders
 * @param mountpoints the mountpoints in its accounts' mailboxes
 * @param mapped the accounts named by the import maps in its backup path
 */
public record ServerShares(
    String server,
    List<AccountFolders> accounts,
    List<SharedFolder> grants,
    List<MountedFolder> mountpoints,
    List<MappedAccount> mapped) {

  public ServerShares {
    accounts = List.copyOf(accounts);
    grants = List.copyOf(grants);
    mountpoints = List.copyOf(mountpoints);
    mapped = List.copyOf(mapped);
  }

  /**
   * An account and the ids of its folders that a mountpoint may point at (not mountpoints).
   *
   * @param id its id
   * @param name its primary address
   * @param aliases its aliases
   * @param folderIds its ordinary folders' ids, ascending
   */
  public record AccountFolders(String id, String name, List<String> aliases, int[] folderIds) {
    public AccountFolders {
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    boolean hasFolder(int folderId) {
      return java.util.Arrays.binarySearch(folderIds, folderId) >= 0;
    }
  }

  /**
   * A grant: rights on an owner's folder given to a grantee.
   *
   * @param ownerId the owner, an account of this server
   * @param folderId the shared folder
   * @param folderPath its path
   * @param granteeId the grantee's id as the grant names it
   * @param granteeName the grantee's address when the grant was made
   * @param rights the rights
   */
  public record SharedFolder(
      String ownerId, int folderId, String folderPath, String granteeId, String granteeName, String rights) {}

  /**
   * A mountpoint: a folder of a holder that shows an owner's folder.
   *
   * @param holderId the mailbox that has the mountpoint, an account of this server
   * @param folderId the mountpoint folder's id
   * @param path its path
   * @param ownerId the owner's id it names ({@code zid})
   * @param remoteFolderId the owner's folder id it names ({@code rid})
   * @param ownerName the owner's address it names
   */
  public record MountedFolder(
      String holderId, int folderId, String path, String ownerId, int remoteFolderId, String ownerName) {}

  /**
   * An account an import map of this server names.
   *
   * @param file the map's file name in the backup path
   * @param source the server the map says the account came from
   * @param oldId its old id
   * @param newId its new id
   * @param name its address
   * @param items how many item ids the map has for it
   */
  public record MappedAccount(String file, String source, String oldId, String newId, String name, int items) {}
}
