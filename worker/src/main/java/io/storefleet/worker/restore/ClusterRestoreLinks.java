package io.storefleet.worker.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Mountpoint;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A restore's links to the cluster: the account directory, and the admin commands of other
 * servers (listShares, listFolders, grantFolder), sent through this worker's own dispatch so that
 * they reach each owner the usual way. Restores run on the queue's thread, so these calls wait.
 */
public final class ClusterRestoreLinks implements AccountDirectory, RemoteShares {
  private static final String REQUESTER = "storefleet-restore";

  private final ClusterDirectory directory;
  private final Function<CommandRequest, Future<CommandReply>> dispatch;
  private final String serverId;
  private final Duration timeout;

  public ClusterRestoreLinks(ClusterDirectory directory, Function<CommandRequest, Future<CommandReply>> dispatch,
      String serverId, Duration timeout) {
    this.directory = directory;
    this.dispatch = dispatch;
    this.serverId = serverId;
    this.timeout = timeout;
  }

  @Override
  public Optional<String> serverOf(String name) {
    return await(directory.locate(name), "the cluster directory").map(AccountLocation::server);
  }

  @Override
  public void publish(Account a) {
    await(directory.putAccount(new AccountLocation(a.name(), a.id(), serverId), a.aliases()), "the cluster directory");
  }

  @Override
  public Optional<String> rights(Mountpoint target, String granteeId) {
    Optional<AccountLocation> owner = await(directory.locate(target.ownerId()), "the cluster directory");
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    JsonNode shares = admin("listShares", Map.of("account", owner.get().name()), owner.get()).get("grants");
    return Arrays.stream(Json.fromTree(shares, Grant[].class))
        .filter(g -> g.folderId() == target.remoteFolderId() && g.granteeId().equalsIgnoreCase(granteeId))
        .map(Grant::rights).findFirst();
  }

  @Override
  public void grant(Mountpoint target, Account grantee, String rights) {
    AccountLocation owner = await(directory.locate(target.ownerId()), "the cluster directory")
        .orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception("share owner " + target.ownerName()
            + " no longer exists on any server"));
    Folder[] folders = Json.fromTree(admin("listFolders", Map.of("account", owner.name()), owner), Folder[].class);
    Folder shared = Arrays.stream(folders).filter(f -> f.id() == target.remoteFolderId()).findFirst()
        .orElseThrow(() -> ErrorCode.NOT_FOUND.exception("folder " + target.remoteFolderId() + " of " + owner.name()
            + " no longer exists", owner.server()));
    admin("grantFolder", Map.of("account", owner.name(), "folder", shared.path(), "grantee", grantee.name(),
        "rights", rights), owner);
  }

  private JsonNode admin(String command, Map<String, String> params, AccountLocation owner) {
    CommandRequest req = new CommandRequest("admin", command, params, null, null, REQUESTER);
    CommandReply reply = await(dispatch.apply(req), "server " + owner.server());
    return reply.result();
  }

  private <T> T await(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorefleetException se) {
        throw se;
      }
      throw ErrorCode.INTERNAL.exception(what + " failed: " + e.getCause(), serverId);
    } catch (TimeoutException e) {
      throw ErrorCode.SERVER_TIMEOUT.exception(what + " did not answer within " + timeout.toSeconds() + " s", serverId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.SERVER_UNAVAILABLE.exception("interrupted while waiting for " + what, serverId);
    }
  }
}
