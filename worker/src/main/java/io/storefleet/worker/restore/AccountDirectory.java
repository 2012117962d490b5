package io.storefleet.worker.restore;

import io.storefleet.worker.store.Account;
import java.util.Optional;

/**
 * What a restore that creates an account needs from the cluster directory: whether the address
 * is taken on another server, and making the new account known so that commands and shares
 * reach it.
 */
public interface AccountDirectory {
  /** A worker on its own: only its store knows accounts, and there is nothing to publish to. */
  AccountDirectory NONE = new AccountDirectory() {
    @Override
    public Optional<String> serverOf(String name) {
      return Optional.empty();
    }

    @Override
    public void publish(Account account) {}
  };

  /** The server that owns this address (primary name or alias), if any does. May block. */
  Optional<String> serverOf(String name);

  /** Registers a newly created account of this server. May block. */
  void publish(Account account);
}
