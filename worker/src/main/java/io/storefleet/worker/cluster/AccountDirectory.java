package io.storefleet.worker.cluster;

import io.storefleet.worker.store.Account;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an operation that creates accounts (a restore on a new account, an import) needs from the
 * cluster's account directory: an address must stay unique across servers, and a new account
 * must be known (routed to) as soon as it exists. An export asks which accounts of its domains
 * live elsewhere. Calls may block.
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

    @Override
    public Map<String, Long> elsewhere(Set<String> domains, String serverId) {
      return Map.of();
    }
  };

  /** The server that owns this address (primary name or alias), if any does. */
  Optional<String> serverOf(String name);

  /** Registers a newly created (or changed) account of this server. */
  void publish(Account account);

  /**
   * How many accounts of these domains (lower case) live on servers other than {@code serverId},
   * by server id, sorted by id.
   */
  Map<String, Long> elsewhere(Set<String> domains, String serverId);
}
