package io.storefleet.coordinator.aggregate;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.catalogue.EditDistance;
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
  /** How long the registered-server list is reused; liveness itself is always current. */
  static final long CACHE_MILLIS = 1000;

  private final ClusterDirectory directory;
  private final Supplier<Set<String>> liveNodes;
  private final java.time.Clock clock;
  private volatile List<ServerInfo> cached;
  private volatile long cachedAt;

  public ServerLiveness(ClusterDirectory directory, Supplier<Set<String>> liveNodes, java.time.Clock clock) {
    this.directory = directory;
    this.liveNodes = liveNodes;
    this.clock = clock;
  }

  /** Every registered server, sorted, with {@code reachable} set from the live membership. */
  public Future<List<ServerInfo>> servers() {
    return registered(false).map(this::withLiveness);
  }

  /**
   * As {@link #servers()}, read afresh: what an operator lists must show a provisioning change
   * the moment the worker has published it.
   */
  public Future<List<ServerInfo>> serversNow() {
    return registered(true).map(this::withLiveness);
  }

  /**
   * As {@link #serversNow()}, with each worker's last health report and, for a server that is not
   * reachable, since when the cluster noticed its member leave (docs/protocol.md, {@code GET
   * /api/v1/servers}).
   */
  public Future<List<ServerInfo>> serversWithHealth() {
    return serversNow().compose(all -> Future.all(directory.serverHealth(), directory.departures())
        .map(both -> {
          java.util.Map<String, io.storefleet.protocol.wire.ServerHealth> health = both.resultAt(0);
          java.util.Map<String, io.storefleet.protocol.wire.ServerDeparture> left = both.resultAt(1);
          return all.stream().map(s -> s.withHealth(health.get(s.serverId()), left.get(s.serverId()))).toList();
        }));
  }

  /** The ids of the reachable servers, sorted. */
  public Future<List<String>> reachableIds() {
    return servers().map(all -> all.stream().filter(s -> Boolean.TRUE.equals(s.reachable()))
        .map(ServerInfo::serverId).sorted().toList());
  }

  private List<ServerInfo> withLiveness(List<ServerInfo> all) {
    Set<String> live = liveNodes.get();
    return all.stream().map(s -> s.withReachable(live.contains(s.nodeId()))).toList();
  }

  /**
   * The registered servers. Reading them scans a cluster map, which costs more than the request
   * it serves, so the list is reused for a second; a server missing from it is looked up afresh.
   */
  private Future<List<ServerInfo>> registered(boolean fresh) {
    List<ServerInfo> c = cached;
    if (!fresh && c != null && clock.millis() - cachedAt < CACHE_MILLIS) {
      return Future.succeededFuture(c);
    }
    return directory.servers().onSuccess(all -> {
      cached = all;
      cachedAt = clock.millis();
    });
  }

  /** The server if it is registered and reachable; UNKNOWN_SERVER or SERVER_UNAVAILABLE otherwise. */
  public Future<ServerInfo> reachable(String serverId) {
    return registered(false)
        // A restarted worker registers a new member id: re-read before calling it unknown or down.
        .compose(all -> withLiveness(all).stream()
                .anyMatch(s -> s.serverId().equals(serverId) && Boolean.TRUE.equals(s.reachable()))
            ? Future.succeededFuture(all) : registered(true))
        .map(this::withLiveness)
        .compose(all -> {
      for (ServerInfo s : all) {
        if (s.serverId().equals(serverId)) {
          if (Boolean.TRUE.equals(s.reachable())) {
            return Future.succeededFuture(s);
          }
          return Future.failedFuture(unavailable(serverId));
        }
      }
      return Future.failedFuture(ErrorCode.UNKNOWN_SERVER.exception(
          "server " + serverId + " is not in the cluster" + suggestion(serverId, all) + "; known servers: "
              + String.join(", ", all.stream().map(ServerInfo::serverId).toList())));
    });
  }

  /**
   * The target the operator probably meant: a server id differing only in case (ids are
   * case-sensitive, as are the worker's event-bus addresses), or all_servers mistyped.
   */
  static String suggestion(String given, List<ServerInfo> all) {
    for (ServerInfo s : all) {
      if (s.serverId().equalsIgnoreCase(given)) {
        return " (server ids are case-sensitive: did you mean " + s.serverId() + "?)";
      }
    }
    String normalized = given.toLowerCase(java.util.Locale.ROOT).replace('-', '_').replace(' ', '_');
    if (EditDistance.between(normalized, ClusterMaps.ALL_SERVERS) <= 2) {
      return " (did you mean " + ClusterMaps.ALL_SERVERS + "? it is written with an underscore)";
    }
    return "";
  }

  /** The indefinite error for a registered server whose worker is gone. */
  public static io.storefleet.protocol.error.StorefleetException unavailable(String serverId) {
    return ErrorCode.SERVER_UNAVAILABLE.exception(
        "server " + serverId + " is not reachable: its worker is not running or has left the cluster;"
            + " start it (or wait for it to rejoin) and retry", serverId);
  }
}
