package io.storefleet.worker.imports;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.worker.store.Account;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cluster directory as an import uses it. Its calls wait for the cluster map, so they run on
 * the queue's threads, never on an event loop.
 */
public final class DirectoryAccounts implements ClusterAccounts {
  private static final System.Logger LOG = System.getLogger(DirectoryAccounts.class.getName());
  private static final long TIMEOUT_SECONDS = 30;

  private final ClusterDirectory directory;
  private final String serverId;

  public DirectoryAccounts(ClusterDirectory directory, String serverId) {
    this.directory = directory;
    this.serverId = serverId;
  }

  @Override
  public Optional<String> serverOf(String nameOrAlias) {
    return await(directory.locate(nameOrAlias), "look up " + nameOrAlias).map(AccountLocation::server);
  }

  @Override
  public void publish(Account a) {
    try {
      await(directory.putAccount(new AccountLocation(a.name(), a.id(), serverId), a.aliases()), "publish " + a.name());
    } catch (RuntimeException e) {
      // The directory is republished from the store every 30 s: the account becomes routable then.
      LOG.log(System.Logger.Level.WARNING, "imported account " + a.name() + " not yet in the cluster directory: "
          + e.getMessage());
    }
  }

  private <T> T await(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.SERVER_UNAVAILABLE.exception("interrupted while asking the cluster directory to " + what,
          serverId);
    } catch (Exception e) {
      throw ErrorCode.SERVER_UNAVAILABLE.exception("the cluster directory did not answer (" + what + "): "
          + e.getMessage(), serverId);
    }
  }
}
