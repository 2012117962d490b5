package io.storefleet.coordinator.audit;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.fabric.bus.AccessClient;
import io.storefleet.protocol.access.AuditAnswer;
import io.storefleet.protocol.access.AuditQuery;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The audit trail, kept on the workers: a call's record goes to the worker that served it, or,
 * for calls no single worker served (refusals, broadcasts, the coordinator's own answers), to the
 * reachable worker with the lowest server id; if that one fails, to the next. Reading asks every
 * reachable worker and merges by time.
 */
public final class AuditTrail {
  private final ServerLiveness liveness;
  private final AccessClient client;

  public AuditTrail(ServerLiveness liveness, AccessClient client) {
    this.liveness = liveness;
    this.client = client;
  }

  /**
   * Keeps a record on {@code served} if it is reachable, else on the first reachable worker that
   * takes it; fails only when no worker could.
   */
  public Future<String> keep(AuditRecord record, String served) {
    return liveness.reachableIds().compose(servers -> {
      List<String> order = new ArrayList<>();
      if (served != null && servers.contains(served)) {
        order.add(served);
      }
      servers.stream().filter(s -> !s.equals(served)).forEach(order::add);
      return keep(record, order, 0, null);
    });
  }

  private Future<String> keep(AuditRecord record, List<String> order, int i, Throwable last) {
    if (i >= order.size()) {
      return Future.failedFuture(io.storefleet.protocol.error.ErrorCode.SERVER_UNAVAILABLE.exception(
          "no reachable worker kept the audit record" + (last == null ? "" : ": " + last.getMessage())));
    }
    String server = order.get(i);
    return client.appendAudit(server, record).map(server)
        .recover(err -> keep(record, order, i + 1, err));
  }

  /** The matching records of every reachable worker, oldest first, the newest {@code limit}. */
  public Future<AuditAnswer> query(AuditQuery query) {
    return liveness.servers().compose(registered -> {
      List<String> servers = new ArrayList<>();
      List<String> unreachable = new ArrayList<>();
      for (ServerInfo s : registered) {
        (Boolean.TRUE.equals(s.reachable()) ? servers : unreachable).add(s.serverId());
      }
      List<Future<List<AuditRecord>>> asks = new ArrayList<>();
      servers.forEach(s -> asks.add(client.queryAudit(s, query)));
      return Future.join(asks).transform(ignored -> {
        List<AuditRecord> all = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
          if (asks.get(i).succeeded()) {
            all.addAll(asks.get(i).result());
          } else {
            unreachable.add(servers.get(i));
          }
        }
        all.sort(Comparator.comparing(AuditRecord::at));
        int from = Math.max(0, all.size() - query.effectiveLimit());
        return Future.succeededFuture(new AuditAnswer(all.subList(from, all.size()), unreachable));
      });
    });
  }
}
