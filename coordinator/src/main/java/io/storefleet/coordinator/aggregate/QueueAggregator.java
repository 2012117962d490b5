package io.storefleet.coordinator.aggregate;

import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.OperationTable;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The cluster's queues as one table, and operations found by uuid alone. Servers that cannot be
 * asked are listed as unreachable, never dropped.
 */
public final class QueueAggregator {
  private final Broadcaster broadcaster;
  private final WorkerClient client;
  private final io.storefleet.fabric.directory.ClusterDirectory directory;
  private final ServerLiveness liveness;

  public QueueAggregator(Broadcaster broadcaster, WorkerClient client,
      io.storefleet.fabric.directory.ClusterDirectory directory, ServerLiveness liveness) {
    this.broadcaster = broadcaster;
    this.client = client;
    this.directory = directory;
    this.liveness = liveness;
  }

  /** Every server's queue in one table, sorted by server then queue order. */
  public Future<OperationTable> all(boolean verbose, String requester) {
    CommandRequest req = CommandRequest.of(BackupCommand.GET_ALL_OPERATIONS,
        Map.of("verbose", Boolean.toString(verbose)), null, requester);
    return broadcaster.broadcast(req).map(b -> {
      List<Operation> ops = new ArrayList<>();
      List<ServerResult> unreachable = new ArrayList<>();
      for (ServerResult r : b.results()) {
        if (r.ok()) {
          ops.addAll(List.of(Json.fromTree(r.reply().result(), Operation[].class)));
        } else {
          unreachable.add(r);
        }
      }
      ops.sort(Comparator.comparing(Operation::server).thenComparingLong(Operation::seq));
      return new OperationTable(ops, unreachable);
    });
  }

  /**
   * Sends an operation command ({@code monitor}, {@code doStopOperation}) to the server holding
   * the operation: the one named, else the one the uuid index names, else whichever server knows
   * it.
   */
  public Future<CommandReply> forOperation(String uuid, String server, CommandRequest request) {
    if (server != null) {
      return liveness.reachable(server).compose(s -> client.send(server, request));
    }
    return directory.operationServer(uuid).compose(known -> {
      if (known.isPresent()) {
        return liveness.reachable(known.get()).compose(s -> client.send(known.get(), request));
      }
      return search(uuid, request);
    });
  }

  private Future<CommandReply> search(String uuid, CommandRequest request) {
    return broadcaster.broadcast(request).compose(b -> {
      List<String> down = new ArrayList<>();
      for (ServerResult r : b.results()) {
        if (r.ok()) {
          return Future.succeededFuture(r.reply());
        }
        String code = r.error().code();
        if (code.equals(ErrorCode.SERVER_UNAVAILABLE.name()) || code.equals(ErrorCode.SERVER_TIMEOUT.name())) {
          down.add(r.server());
        } else if (!code.equals(ErrorCode.UNKNOWN_OPERATION.name())) {
          // The server holds the operation and answered with its own error (e.g. already finished).
          return Future.failedFuture(r.error().toException());
        }
      }
      if (!down.isEmpty()) {
        return Future.failedFuture(ErrorCode.SERVER_UNAVAILABLE.exception(
            "operation " + uuid + " is not on any reachable server; it may be on " + String.join(", ", down)
                + ", which could not be asked", down.get(0)));
      }
      return Future.failedFuture(ErrorCode.UNKNOWN_OPERATION.exception(
          "operation " + uuid + " is not known on any server; list operations with getAllOperations verbose true"));
    });
  }
}
