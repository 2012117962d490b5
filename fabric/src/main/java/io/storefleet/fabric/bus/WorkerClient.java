package io.storefleet.fabric.bus;

import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;

/** Sends {@link CommandRequest}s to a server's worker over the clustered event bus. */
public final class WorkerClient {
  private final Vertx vertx;
  private final Duration timeout;

  public WorkerClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  /** The worker's reply, or a {@link io.storefleet.protocol.error.StorefleetException} naming the server. */
  public Future<CommandReply> send(String server, CommandRequest request) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return vertx
        .eventBus()
        .<String>request(Addresses.workerCommands(server), Json.encode(request), opts)
        .recover(err -> Future.failedFuture(BusErrors.fromReply(err, server)))
        .map(msg -> Json.decode(msg.body(), CommandReply.class));
  }

  /** The timeout applied to each request. */
  public Duration timeout() {
    return timeout;
  }
}
