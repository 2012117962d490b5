package io.storefleet.coordinator.aggregate;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The registered servers with their reachability: a server is reachable while the cluster
 * member that registered it is alive. Requests to an unreachable server fail at once with an
 * indefinite error naming it, instead of waiting for a timeout.
 */
public final class ServerLiveness {
  private final ClusterDirectory directory;
  private final Supplier<Set<String>> liveNodes;

  public ServerLiveness(ClusterDirectory directory, Supplier<Set<String>> liveNodes) {
    this.directory = directory;
    this.liveNodes = liveNodes;
  }

  /** Every registered server, sorted, with {@code reachable} set. */
  public Future<List<ServerInfo>> servers() {
    return directory.servers().map(all -> {
      Set<String> live = liveNodes.get();
      return all.stream().map(s -> s.withReachable(live.contains(s.nodeId()))).toList();
    });
  }

  /** The server if it is registered and reachable; UNKNOWN_SERVER or SERVER_UNAVAILABLE otherwise. */
  public Future<ServerInfo> reachable(String serverId) {
    return servers().compose(all -> {
      for (ServerInfo s : all) {
        if (s.serverId().equals(serverId)) {
          if (Boolean.TRUE.equals(s.reachable())) {
            return Future.succeededFuture(s);
          }
          return Future.failedFuture(unavailable(serverId));
        }
      }
      return Future.failedFuture(ErrorCode.UNKNOWN_SERVER.exception(
          "server " + serverId + " is not in the cluster; known servers: "
              + String.join(", ", all.stream().map(ServerInfo::serverId).toList())));
    });
  }

  /** The indefinite error for a registered server whose worker is gone. */
  public static io.storefleet.protocol.error.StorefleetException unavailable(String serverId) {
    return ErrorCode.SERVER_UNAVAILABLE.exception(
        "server " + serverId + " is not reachable: its worker is not running or has left the cluster;"
            + " start it (or wait for it to rejoin) and retry", serverId);
  }
}
