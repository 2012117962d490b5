package io.storefleet.worker.cluster;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.worker.store.Account;
import java.util.Optional;

/** {@link AccountDirectory} over the cluster directory; it waits, so it runs on the queue's threads. */
public final class DirectoryAccounts implements AccountDirectory {
  private final ClusterDirectory directory;
  private final ClusterWait wait;

  public DirectoryAccounts(ClusterDirectory directory, ClusterWait wait) {
    this.directory = directory;
    this.wait = wait;
  }

  @Override
  public Optional<String> serverOf(String name) {
    return wait.directory(directory.locate(name)).map(AccountLocation::server);
  }

  @Override
  public void publish(Account a) {
    wait.directory(directory.putAccount(new AccountLocation(a.name(), a.id(), wait.serverId()), a.aliases()));
  }
}
