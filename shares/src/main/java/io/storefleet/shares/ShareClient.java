package io.storefleet.shares;

import io.storefleet.fabric.bus.ClusterErrors;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;

/**
 * Sends {@link ShareRequest}s to a server's share endpoint. Answers come back as JSON text and
 * are decoded by the caller, off the event loop: a big server's facts are megabytes.
 */
public final class ShareClient {
  private final Vertx vertx;
  private final Duration timeout;

  public ShareClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * The JSON of an {@link OpenedFolder}: {@code ownerId}'s folder as {@code holderId}'s
   * mountpoint shows it, answered by the owner's server after checking the grant.
   */
  public Future<String> open(String server, String ownerId, int folderId, String holderId) {
    return send(server, ShareRequest.open(ownerId, folderId, holderId));
  }

  /** The answer's JSON, or a StorefleetException naming the server. */
  public Future<String> send(String server, ShareRequest request) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return vertx.eventBus()
        .<String>request(Addresses.workerShares(server), Json.encode(request), opts)
        .recover(err -> Future.failedFuture(ClusterErrors.of(err, "server " + server, server)))
        .map(msg -> msg.body());
  }
}
