package io.storefleet.worker.cluster;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.worker.store.Account;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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

  @Override
  public Map<String, Long> elsewhere(Set<String> domains, String server) {
    Map<String, Long> out = new TreeMap<>();
    for (AccountLocation loc : wait.directory(directory.accounts())) {
      int at = loc.name().lastIndexOf('@');
      String domain = at < 0 ? "" : loc.name().substring(at + 1).toLowerCase(Locale.ROOT);
      if (!loc.server().equals(server) && domains.contains(domain)) {
        out.merge(loc.server(), 1L, Long::sum);
      }
    }
    return out;
  }
}
