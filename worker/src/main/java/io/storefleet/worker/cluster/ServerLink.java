package io.storefleet.worker.cluster;

import io.storefleet.fabric.bus.ClusterErrors;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The one way a worker asks another server (its own included, through the bus): a request to one
 * of the server's {@link Addresses}, given up after the {@link AskTimeout}'s request time, whose
 * failure is always translated by {@link ClusterErrors}. It never blocks; callers on the queue's
 * threads wait with {@link ClusterWait}.
 */
public final class ServerLink {
  private final Vertx vertx;
  private final AskTimeout timeout;

  public ServerLink(Vertx vertx, AskTimeout timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  /**
   * A command for {@code server}'s front door, which runs it or forwards it once to the owner of
   * its account.
   */
  public Future<CommandReply> command(String server, CommandRequest request) {
    return ask(Addresses.workerCommands(server), server, Json.encode(request))
        .map(body -> Json.decode(body, CommandReply.class));
  }

  /**
   * A request for {@code server}'s share endpoint; the answer stays JSON text, for the caller to
   * decode off the event loop (a big server's share facts are megabytes).
   */
  public Future<String> shares(String server, Object request) {
    return ask(Addresses.workerShares(server), server, Json.encode(request));
  }

  /** A request for {@code server}'s digest endpoint (JSON both ways). */
  public Future<String> digest(String server, Object request) {
    return ask(Addresses.workerDigest(server), server, Json.encode(request));
  }

  public AskTimeout timeout() {
    return timeout;
  }

  private Future<String> ask(String address, String server, String body) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(timeout.request().toMillis());
    return vertx.eventBus().<String>request(address, body, opts).transform(ar -> ar.succeeded()
        ? Future.succeededFuture(ar.result().body())
        : Future.failedFuture(ClusterErrors.of(ar.cause(), "server " + server, server)));
  }
}
