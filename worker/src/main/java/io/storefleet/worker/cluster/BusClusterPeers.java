package io.storefleet.worker.cluster;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link ClusterPeers} over the cluster directory and a {@link ServerLink}. */
public final class BusClusterPeers implements ClusterPeers {
  private final ClusterDirectory directory;
  private final ServerLink link;
  private final ClusterWait wait;
  private final Supplier<Future<Void>> publish;

  /** @param publish publishes this server's accounts to the directory */
  public BusClusterPeers(ClusterDirectory directory, ServerLink link, ClusterWait wait,
      Supplier<Future<Void>> publish) {
    this.directory = directory;
    this.link = link;
    this.wait = wait;
    this.publish = publish;
  }

  @Override
  public List<String> others() {
    return wait.directory(directory.servers()).stream()
        .map(ServerInfo::serverId).filter(s -> !s.equals(wait.serverId())).toList();
  }

  @Override
  public void admin(String server, AdminCommand command, Map<String, String> params) {
    wait.server(link.command(server, request(server, command, params)), server);
  }

  @Override
  public Optional<String> holderElsewhere(String nameOrId) {
    Optional<AccountLocation> loc = wait.directory(directory.locate(nameOrId));
    if (loc.isEmpty() || loc.get().server().equals(wait.serverId())) {
      return Optional.empty();
    }
    String server = loc.get().server();
    try {
      // By its primary name (the command takes no id), and sent as already forwarded, so that the
      // server answers only for itself.
      Map<String, String> params = Map.of("account", loc.get().name());
      wait.server(link.command(server, request(server, AdminCommand.LIST_FOLDERS, params).forwardedBy(wait.serverId())), server);
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
    wait.directory(publish.get());
  }

  private CommandRequest request(String server, AdminCommand command, Map<String, String> params) {
    return CommandRequest.of(command, params, server, "doRawRestore on " + wait.serverId());
  }
}
