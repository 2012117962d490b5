package io.storefleet.coordinator.aggregate;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.wire.BroadcastReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one request to every registered server in parallel and collects one result per server.
 * A server that is down, fails or times out is reported as such; the others' results stand.
 */
public final class Broadcaster {
  private final ServerLiveness liveness;
  private final WorkerClient client;

  public Broadcaster(ServerLiveness liveness, WorkerClient client) {
    this.liveness = liveness;
    this.client = client;
  }

  public Future<BroadcastReply> broadcast(CommandRequest request) {
    return liveness.servers().compose(servers -> {
      List<Future<ServerResult>> each = new ArrayList<>();
      for (ServerInfo s : servers) {
        each.add(one(s, request));
      }
      return Future.all(each).map(cf -> {
        List<ServerResult> out = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
          out.add(cf.resultAt(i));
        }
        return new BroadcastReply(out);
      });
    });
  }

  private Future<ServerResult> one(ServerInfo s, CommandRequest request) {
    if (!Boolean.TRUE.equals(s.reachable())) {
      return Future.succeededFuture(
          new ServerResult(s.serverId(), null, ErrorInfo.of(ServerLiveness.unavailable(s.serverId()))));
    }
    // One request id for all: each server keeps it for its own part.
    CommandRequest addressed = request.addressedTo(s.serverId());
    return client.send(s.serverId(), addressed)
        .map(r -> new ServerResult(s.serverId(), r, null))
        .recover(err -> Future.succeededFuture(
            new ServerResult(s.serverId(), null, ErrorInfo.of(BusErrors.toStorefleet(err, s.serverId())))));
  }
}
