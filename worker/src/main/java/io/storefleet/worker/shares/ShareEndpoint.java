package io.storefleet.worker.shares;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.shares.ShareRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;

/**
 * A worker's share endpoint on the event bus: share facts, map look-ups, fixes and folder
 * opening for other servers and the coordinator. Every request runs on a worker thread, not in
 * order, because a share check on this server waits for this server's own answer.
 */
public final class ShareEndpoint {
  private final Vertx vertx;
  private final ShareService service;
  private MessageConsumer<String> consumer;

  public ShareEndpoint(Vertx vertx, ShareService service) {
    this.vertx = vertx;
    this.service = service;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.workerShares(service.serverId()), this::onMessage);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onMessage(Message<String> msg) {
    String body = msg.body();
    vertx.executeBlocking(() -> Json.encode(answer(Json.decode(body, ShareRequest.class))), false)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            BusErrors.fail(msg, ar.cause(), service.serverId());
          }
        });
  }

  private Object answer(ShareRequest r) throws Exception {
    if (r.kind() == null) {
      throw ErrorCode.MALFORMED_REQUEST.exception("a share request needs a kind: FACTS, TRANSLATE, APPLY or OPEN",
          service.serverId());
    }
    return switch (r.kind()) {
      case FACTS -> service.facts();
      case TRANSLATE -> service.translate(r.refs() == null ? List.of() : r.refs());
      case APPLY -> service.apply(r.fixes() == null ? List.of() : r.fixes());
      case OPEN -> service.open(r.ownerId(), r.folderId(), r.holderId());
    };
  }
}
