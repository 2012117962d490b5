package io.storefleet.fabric.bus;

import io.storefleet.protocol.access.AuditQuery;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.List;

/**
 * The coordinator's requests to a worker's token and audit logs. Failures are
 * {@link io.storefleet.protocol.error.StorefleetException}s naming the server, as with
 * {@link WorkerClient}.
 */
public final class AccessClient {
  private final Vertx vertx;
  private final Duration timeout;

  public AccessClient(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  /** Writes a token record into {@code server}'s {@code tokens.log} (merged, fsync'd); answers what it holds. */
  public Future<TokenRecord> persistToken(String server, TokenRecord record) {
    return ask(Addresses.workerTokens(server), server, record).map(s -> Json.decode(s, TokenRecord.class));
  }

  /** Appends an audit record to {@code server}'s {@code audit.log}, fsync'd before the answer. */
  public Future<Void> appendAudit(String server, AuditRecord record) {
    return ask(Addresses.workerAudit(server), server, record).mapEmpty();
  }

  /** The records of {@code server}'s {@code audit.log} that match, oldest first. */
  public Future<List<AuditRecord>> queryAudit(String server, AuditQuery query) {
    return ask(Addresses.workerAuditQuery(server), server, query).map(s -> List.of(Json.decode(s, AuditRecord[].class)));
  }

  private Future<String> ask(String address, String server, Object body) {
    return vertx.eventBus()
        .<String>request(address, Json.encode(body), new DeliveryOptions().setSendTimeout(timeout.toMillis()))
        .recover(err -> Future.failedFuture(BusErrors.fromReply(err, server)))
        .map(msg -> msg.body());
  }
}
