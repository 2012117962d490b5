package io.storefleet.coordinator.http;

import io.storefleet.coordinator.aggregate.QueueAggregator;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Streams an operation's snapshots as server-sent events until it ends: the current state first,
 * then every event the worker publishes, plus a fresh read every few seconds so that a stream
 * never hangs on a lost event or a dead worker.
 */
final class ProgressStream {
  private static final long POLL_MILLIS = 2000;

  private final Vertx vertx;
  private final QueueAggregator queues;

  ProgressStream(Vertx vertx, QueueAggregator queues) {
    this.vertx = vertx;
    this.queues = queues;
  }

  void handle(RoutingContext ctx, String requester) {
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
      timer[0] = vertx.setPeriodic(POLL_MILLIS, t -> queues.forOperation(uuid, server, monitor).onComplete(ar -> {
        if (ar.failed()) {
          res.write("event: error\ndata: " + Json.encode(Map.of("message", ar.cause().getMessage())) + "\n\n");
          res.end();
          close.run();
        } else if (send(res, Json.fromTree(ar.result().result(), Operation.class))) {
          close.run();
        }
      }));
      res.closeHandler(v -> close.run());
    });
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
