package io.storefleet.worker.restore.raw;

import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@link ClusterPeers} over the cluster directory and the event bus. */
final class BusClusterPeers implements ClusterPeers {
  private final String serverId;
  private final ClusterDirectory directory;
  private final WorkerClient client;
  private final Supplier<Future<Void>> publish;
  private final Duration wait;

  BusClusterPeers(String serverId, ClusterDirectory directory, WorkerClient client, Supplier<Future<Void>> publish) {
    this.serverId = serverId;
    this.directory = directory;
    this.client = client;
    this.publish = publish;
    // A request already times out on its own; this only bounds the wait for the answer.
    this.wait = client.timeout().plusSeconds(5);
  }

  @Override
  public List<String> others() {
    return await(directory.servers(), "the cluster directory").stream()
        .map(ServerInfo::serverId).filter(s -> !s.equals(serverId)).toList();
  }

  @Override
  public void admin(String server, String command, Map<String, String> params) {
    await(client.send(server, request(server, command, params)), "server " + server);
  }

  @Override
  public Optional<String> holderElsewhere(String nameOrId) {
    Optional<AccountLocation> loc = await(directory.locate(nameOrId), "the cluster directory");
    if (loc.isEmpty() || loc.get().server().equals(serverId)) {
      return Optional.empty();
    }
    String server = loc.get().server();
    try {
      // By its primary name (the command takes no id), and sent as already forwarded, so that the
      // server answers only for itself.
      Map<String, String> params = Map.of("account", loc.get().name());
      await(client.send(server, request(server, "listFolders", params).forwardedBy(serverId)),
          "server " + server);
      return Optional.of(server);
    } catch (StorefleetException e) {
      return switch (e.code()) {
        case SERVER_UNAVAILABLE, UNKNOWN_ACCOUNT, PROXY_LOOP -> Optional.empty();
        default -> throw e;
      };
    }
  }

  @Override
  public void publishAccounts() {
    await(publish.get(), "the cluster directory");
  }

  private CommandRequest request(String server, String command, Map<String, String> params) {
    return new CommandRequest(Module.ADMIN.word(), command, params, server, null, "doRawRestore on " + serverId);
  }

  private <T> T await(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorefleetException se) {
        throw se;
      }
      throw ErrorCode.INTERNAL.exception(what + " failed: " + e.getCause(), serverId);
    } catch (TimeoutException e) {
      throw ErrorCode.SERVER_TIMEOUT.exception(what + " did not answer within " + wait.toSeconds() + " s", serverId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.INTERNAL.exception("interrupted while waiting for " + what, serverId);
    }
  }
}
