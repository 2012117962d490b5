package io.storefleet.worker.ops;

import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Publishes operation snapshots on the event bus for progress streams: every state change, and
 * progress at most every {@code minIntervalMillis} per operation, so a fast scan does not flood
 * the cluster.
 */
public final class OperationEvents implements Consumer<Operation> {
  private final Vertx vertx;
  private final Clock clock;
  private final long minIntervalMillis;
  private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
  private final Map<String, OperationState> lastState = new ConcurrentHashMap<>();

  public OperationEvents(Vertx vertx, Clock clock, long minIntervalMillis) {
    this.vertx = vertx;
    this.clock = clock;
    this.minIntervalMillis = minIntervalMillis;
  }

  @Override
  public void accept(Operation op) {
    long now = clock.millis();
    boolean stateChanged = lastState.put(op.uuid(), op.state()) != op.state();
    Long last = lastSent.get(op.uuid());
    if (!stateChanged && last != null && now - last < minIntervalMillis) {
      return;
    }
    if (op.state().terminal()) {
      lastSent.remove(op.uuid());
      lastState.remove(op.uuid());
    } else {
      lastSent.put(op.uuid(), now);
    }
    vertx.eventBus().publish(Addresses.operationEvents(op.uuid()), Json.encode(op));
  }
}
