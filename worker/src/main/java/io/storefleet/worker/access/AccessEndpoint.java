package io.storefleet.worker.access;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.access.AuditQuery;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * This worker's token and audit addresses: the coordinators persist token changes and audit
 * records here and read the audit trail back. Every request is answered after its disk work,
 * which runs on a worker thread.
 */
public final class AccessEndpoint {
  private final Vertx vertx;
  private final String serverId;
  private final TokenLog tokens;
  private final AuditLog audit;
  private final List<MessageConsumer<String>> consumers = new ArrayList<>();

  public AccessEndpoint(Vertx vertx, String serverId, TokenLog tokens, AuditLog audit) {
    this.vertx = vertx;
    this.serverId = serverId;
    this.tokens = tokens;
    this.audit = audit;
  }

  public Future<Void> start() {
    consume(Addresses.workerTokens(serverId), body -> () -> Json.encode(
        tokens.merge(Json.decode(body, TokenRecord.class))));
    consume(Addresses.workerAudit(serverId), body -> () -> {
      audit.append(Json.decode(body, AuditRecord.class).keptBy(serverId));
      return "{}";
    });
    consume(Addresses.workerAuditQuery(serverId), body -> () -> Json.encode(
        audit.query(Json.decode(body, AuditQuery.class))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void consume(String address, Function<String, Callable<String>> work) {
    consumers.add(vertx.eventBus().<String>consumer(address, msg -> answer(msg, work.apply(msg.body()))));
  }

  private void answer(Message<String> msg, Callable<String> work) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        BusErrors.fail(msg, ar.cause(), serverId);
      }
    });
  }
}
