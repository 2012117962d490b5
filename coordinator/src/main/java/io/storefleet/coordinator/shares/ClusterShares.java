package io.storefleet.coordinator.shares;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.shares.BusShareServers;
import io.storefleet.shares.MapSelection;
import io.storefleet.shares.ShareClient;
import io.storefleet.shares.ShareReport;
import io.storefleet.shares.ShareSurvey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.List;

/**
 * The cluster-wide share commands. {@code doCheckShares} with {@code all_servers} is answered
 * here: the coordinator gathers every server's shares, merges the import maps of every server
 * and checks every share once, so that a share whose two sides are on different servers is
 * judged with both. {@code doFixShares all} is one operation, queued on the first live server,
 * which does the same survey and applies the fixes on every server.
 */
public final class ClusterShares {
  private final ServerLiveness liveness;
  private final ShareSurvey survey;
  private final WorkerExecutor surveys;

  public ClusterShares(Vertx vertx, ServerLiveness liveness, Duration timeout) {
    this.surveys = vertx.createSharedWorkerExecutor(ShareSurvey.POOL, 2);
    this.liveness = liveness;
    this.survey = new ShareSurvey(new BusShareServers(new ShareClient(vertx, timeout), this::liveServers));
  }

  /** Every registered server, or SERVER_UNAVAILABLE naming those that are down. */
  private Future<List<String>> liveServers() {
    return liveness.servers().compose(all -> {
      List<String> down = all.stream().filter(s -> !Boolean.TRUE.equals(s.reachable())).map(ServerInfo::serverId)
          .toList();
      if (!down.isEmpty()) {
        return Future.failedFuture(ErrorCode.SERVER_UNAVAILABLE.exception(
            "a share check needs every server, and " + String.join(", ", down) + " is not reachable: a share with a"
                + " side there cannot be judged. Start it (or wait for it to rejoin) and retry", down.get(0)));
      }
      return Future.succeededFuture(all.stream().map(ServerInfo::serverId).toList());
    });
  }

  /** The report of every share of the cluster, checked with every server's import maps. */
  public Future<ApiResult> check() {
    return surveys.executeBlocking(() -> {
      ShareReport report = survey.check(MapSelection.all());
      String text = report.render();
      CommandReply r = new CommandReply(ClusterMaps.ALL_SERVERS, false, null, null, Json.tree(report), text);
      return ApiResult.of(r, text);
    }, false);
  }

  /**
   * Queues the cluster-wide fix as one operation on the first live server, sent by {@code send}
   * (which keeps a repeat of its request id on the same server).
   */
  public Future<ApiResult> fix(CommandRequest request,
      java.util.function.BiFunction<String, CommandRequest, Future<CommandReply>> send) {
    return liveServers().compose(servers -> {
      if (servers.isEmpty()) {
        return Future.failedFuture(ErrorCode.UNKNOWN_SERVER.exception("no server is registered; start a worker"));
      }
      String runner = servers.get(0);
      CommandRequest addressed = request.addressedTo(runner);
      return send.apply(runner, addressed).map(r -> ApiResult.of(r, r.text()
          + "\n(the cluster-wide fix is one operation; it runs on " + runner + " and fixes the shares of every server)"));
    });
  }
}
