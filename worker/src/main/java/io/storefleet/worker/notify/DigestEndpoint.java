package io.storefleet.worker.notify;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Answers the digest-sending server; the operation log is read and written off the event loop. */
public final class DigestEndpoint {
  private final Vertx vertx;
  private final DigestBook book;
  private final Clock clock;
  private final Supplier<NoticeSettings> settings;
  private MessageConsumer<String> consumer;

  public DigestEndpoint(Vertx vertx, DigestBook book, Clock clock, Supplier<NoticeSettings> settings) {
    this.vertx = vertx;
    this.book = book;
    this.clock = clock;
    this.settings = settings;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.workerDigest(book.serverId()), this::onMessage);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onMessage(Message<String> msg) {
    String body = msg.body();
    vertx.executeBlocking(() -> Json.encode(answer(Json.decode(body, DigestRequest.class))), false)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            BusErrors.fail(msg, ar.cause(), book.serverId());
          }
        });
  }

  private Object answer(DigestRequest r) {
    if (r.kind() == null) {
      throw ErrorCode.MALFORMED_REQUEST.exception("a digest request needs a kind: HELLO, WAITING or REPORT",
          book.serverId());
    }
    return switch (r.kind()) {
      case HELLO -> Map.of("sendsDigests", settings.get().digestTime() != null);
      case WAITING -> {
        if (r.cutoff() == null) {
          throw ErrorCode.MALFORMED_REQUEST.exception("a WAITING digest request needs a cutoff", book.serverId());
        }
        yield book.waiting(r.cutoff(), clock.instant());
      }
      case REPORT -> {
        List<DigestOutcome> outcomes = r.outcomes() == null ? List.of() : r.outcomes();
        book.apply(outcomes, clock.instant());
        yield Map.of("applied", outcomes.size());
      }
    };
  }
}
