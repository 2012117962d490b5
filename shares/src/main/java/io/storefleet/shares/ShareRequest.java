package io.storefleet.shares;

import java.util.List;

/**
 * A request to a server's share endpoint ({@code Addresses.workerShares}). Only the fields of its
 * kind are set.
 *
 * @param kind what is asked
 * @param refs TRANSLATE: the ids to look up in this server's import maps
 * @param fixes APPLY: the fixes to apply to this server's store
 * @param ownerId OPEN: the owner a mountpoint names
 * @param folderId OPEN: the owner's folder it names
 * @param holderId OPEN: the account opening it, which needs a grant
 */
public record ShareRequest(
    Kind kind, List<IdRef> refs, List<ShareFix> fixes, String ownerId, int folderId, String holderId) {

  /** The questions a share endpoint answers. */
  public enum Kind {
    /** Answer {@link ServerShares}. */
    FACTS,
    /** Answer the {@code refs} with their new ids filled in. */
    TRANSLATE,
    /** Apply the {@code fixes}; answer one {@link FixOutcome} each. */
    APPLY,
    /** Answer the items of an owner's folder, if it is shared with the holder. */
    OPEN
  }

  static ShareRequest facts() {
    return new ShareRequest(Kind.FACTS, null, null, null, 0, null);
  }

  static ShareRequest translate(List<IdRef> refs) {
    return new ShareRequest(Kind.TRANSLATE, refs, null, null, 0, null);
  }

  static ShareRequest apply(List<ShareFix> fixes) {
    return new ShareRequest(Kind.APPLY, null, fixes, null, 0, null);
  }

  static ShareRequest open(String ownerId, int folderId, String holderId) {
    return new ShareRequest(Kind.OPEN, null, null, ownerId, folderId, holderId);
  }
}
