package io.storefleet.coordinator.routing;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Sends a request carrying a request id to the same server every time, through any coordinator.
 * A worker keeps a request id with its first answer, so a repeat must reach that worker: routed
 * again it could go elsewhere ({@code createAccount} to the server that now has fewest accounts)
 * or nowhere ({@code deleteAccount} of an account the first run deleted). Where each id was sent is
 * recorded in a cluster map with a time to live before the request leaves, so a coordinator that
 * dies after sending leaves it behind for the one the client moves to.
 */
public final class RequestPlacement {
  private final ClusterDirectory directory;
  private final ServerLiveness liveness;
  private final WorkerClient client;

  public RequestPlacement(ClusterDirectory directory, ServerLiveness liveness, WorkerClient client) {
    this.directory = directory;
    this.liveness = liveness;
    this.client = client;
  }

  /** The server a request id was sent to before, if it is remembered. */
  public Future<Optional<String>> placed(String requestId) {
    return requestId == null ? Future.succeededFuture(Optional.empty()) : directory.placedRequest(requestId);
  }

  /** Sends a repeat to the server its id was sent to; that server answers it (or says it is down). */
  public Future<CommandReply> resend(String server, CommandRequest req) {
    return liveness.reachable(server).compose(s -> client.send(server, req))
        .recover(err -> Future.failedFuture(placedOn(err, server, req.requestId())));
  }

  /**
   * Sends the request to {@code server}, recorded first as where its id went. When another
   * coordinator sent the same id elsewhere meanwhile, it goes there instead: one id, one server.
   */
  public Future<CommandReply> send(String server, CommandRequest req) {
    if (req.requestId() == null) {
      return client.send(server, req);
    }
    return directory.placeRequest(req.requestId(), server).compose(placed -> client.send(placed, req)
        .recover(err -> notDelivered(err, placed)
            // Nothing reached that server, so the id may be placed anew (the owner, when the named server is down).
            ? directory.unplaceRequest(req.requestId(), placed).transform(v -> Future.failedFuture(err))
            : Future.failedFuture(err)));
  }

  private static boolean notDelivered(Throwable err, String server) {
    return err instanceof StorefleetException se && se.code() == ErrorCode.SERVER_UNAVAILABLE
        && server.equals(se.server());
  }

  private static Throwable placedOn(Throwable err, String server, String requestId) {
    if (err instanceof StorefleetException se && se.code() == ErrorCode.SERVER_UNAVAILABLE) {
      return new StorefleetException(se.code(), se.getMessage() + " (request " + requestId + " was first sent to "
          + server + ", which keeps its answer; retry once it is back)", se.server());
    }
    return err;
  }
}
