package io.storefleet.worker.imports;

import io.storefleet.worker.store.Account;
import java.util.Optional;

/**
 * The import's view of the cluster's account directory: an account name must stay unique across
 * servers, and an imported account must be findable (routed to) as soon as it exists.
 */
public interface ClusterAccounts {
  /** A server-less setup: no other server holds anything, publishing is not needed. */
  ClusterAccounts NONE = new ClusterAccounts() {
    @Override
    public Optional<String> serverOf(String nameOrAlias) {
      return Optional.empty();
    }

    @Override
    public void publish(Account a) {}
  };

  /** The server of the cluster that owns this address, if any. */
  Optional<String> serverOf(String nameOrAlias);

  /** Makes a new account known to the cluster. */
  void publish(Account a);
}
