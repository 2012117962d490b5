package io.storefleet.coordinator.http;

import io.storefleet.coordinator.aggregate.QueueAggregator;
import io.storefleet.coordinator.auth.Authenticator;
import io.storefleet.coordinator.auth.Caller;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Streams an operation's snapshots as server-sent events until it ends: the current state first,
 * then every event the worker publishes, plus a fresh read every few seconds so that a stream
 * never hangs on a lost event or a dead worker. Each fresh read first checks the call's credential
 * again in the cluster's maps, so a stream ends within {@link #POLL_MILLIS} of its console
 * session's sign-out or its token's revocation, whichever coordinator saw them.
 */
final class ProgressStream {
  static final long POLL_MILLIS = 2000;

  private final Vertx vertx;
  private final QueueAggregator queues;

  ProgressStream(Vertx vertx, QueueAggregator queues) {
    this.vertx = vertx;
    this.queues = queues;
  }

  void handle(RoutingContext ctx, String requester, Supplier<Future<Caller>> credential) {
    String uuid = ctx.pathParam("uuid");
    CommandRequest monitor = CommandRequest.of(BackupCommand.MONITOR, Map.of("operation_uuid", uuid), null, requester);
    queues.forOperation(uuid, null, monitor).onComplete(first -> {
      if (first.failed()) {
        ErrorResponses.send(ctx, first.cause());
        return;
      }
      HttpServerResponse res = ctx.response()
          .setChunked(true)
          .putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache");
      Operation op = Json.fromTree(first.result().result(), Operation.class);
      String server = op.server();
      if (send(res, op)) {
        return;
      }
      MessageConsumer<String> consumer = vertx.eventBus().consumer(Addresses.operationEvents(uuid));
      long[] timer = {-1};
      Runnable close = () -> {
        consumer.unregister();
        vertx.cancelTimer(timer[0]);
      };
      consumer.handler(m -> {
        if (send(res, Json.decode(m.body(), Operation.class))) {
          close.run();
        }
      });
      timer[0] = vertx.setPeriodic(POLL_MILLIS, t -> stillAllowed(credential).onComplete(allowed -> {
        if (allowed.failed()) {
          fail(res, ErrorCode.UNAUTHORIZED, "the progress stream ends: " + allowed.cause().getMessage());
          close.run();
          return;
        }
        queues.forOperation(uuid, server, monitor).onComplete(ar -> {
          if (ar.failed()) {
            fail(res, null, ar.cause().getMessage());
            close.run();
          } else if (send(res, Json.fromTree(ar.result().result(), Operation.class))) {
            close.run();
          }
        });
      }));
      res.closeHandler(v -> close.run());
    });
  }

  /**
   * Fails only when the credential is refused now (signed out, revoked, expired); a cluster map
   * that cannot be read this time is not a refusal, and the next read checks again.
   */
  private static Future<Void> stillAllowed(Supplier<Future<Caller>> credential) {
    return credential.get().<Void>mapEmpty()
        .recover(e -> e instanceof Authenticator.Refused ? Future.failedFuture(e) : Future.succeededFuture());
  }

  /** Ends the stream with an {@code error} event: its code (when known) and message. */
  private static void fail(HttpServerResponse res, ErrorCode code, String message) {
    if (res.ended()) {
      return;
    }
    Map<String, String> data = code == null ? Map.of("message", String.valueOf(message))
        : Map.of("code", code.name(), "message", String.valueOf(message));
    res.write("event: error\ndata: " + Json.encode(data) + "\n\n");
    res.end();
  }

  /** Writes one snapshot; ends the stream and returns true when the operation has ended. */
  private static boolean send(HttpServerResponse res, Operation op) {
    if (res.ended()) {
      return true;
    }
    res.write("data: " + Json.encode(op) + "\n\n");
    if (op.state().terminal()) {
      res.end();
      return true;
    }
    return false;
  }
}
