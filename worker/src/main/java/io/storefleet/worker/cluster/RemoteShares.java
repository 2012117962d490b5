package io.storefleet.worker.cluster;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Mountpoint;
import java.util.Optional;

/**
 * Grants in mailboxes of other servers, as a restored mountpoint needs them: the owner of the
 * mounted folder must give the new account the rights it gave the source account.
 */
public interface RemoteShares {
  /** No other server: a remote owner's share cannot be read or made. */
  RemoteShares NONE = new RemoteShares() {
    @Override
    public Optional<String> rights(Mountpoint target, String granteeId) {
      throw unreachable(target);
    }

    @Override
    public void grant(Mountpoint target, Account grantee, String rights) {
      throw unreachable(target);
    }
  };

  private static RuntimeException unreachable(Mountpoint target) {
    return ErrorCode.SERVER_UNAVAILABLE.exception(
        target.ownerName() + " is not on this server and this worker runs without a cluster");
  }

  /**
   * The rights the owner of {@code target}'s folder gives {@code granteeId} there, or empty when
   * it gives none (or the owner no longer exists). May block.
   */
  Optional<String> rights(Mountpoint target, String granteeId);

  /** Gives {@code grantee} these rights on {@code target}'s folder. May block. */
  void grant(Mountpoint target, Account grantee, String rights);
}
