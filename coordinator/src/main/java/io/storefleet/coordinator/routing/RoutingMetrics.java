package io.storefleet.coordinator.routing;

import io.micrometer.core.instrument.Timer;
import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.fabric.metrics.MetricFamily;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.protocol.catalogue.Route;
import io.storefleet.protocol.wire.ApiResult;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times every routed command and counts its errors by kind: {@code routed} (to one server, which
 * ran it), {@code proxied} (the server named was not the owner and passed it on) or
 * {@code broadcast} (every server: broadcasts, the merged queue, the cluster-wide share check).
 */
public final class RoutingMetrics {
  /** How a command travelled. */
  enum Kind { ROUTED, PROXIED, BROADCAST }

  private final NodeMetrics metrics;

  public RoutingMetrics(NodeMetrics metrics) {
    this.metrics = metrics;
    for (Kind k : Kind.values()) {
      metrics.timer(MetricFamily.ROUTING_DURATION, word(k));
    }
  }

  Future<ApiResult> time(Route route, Supplier<Future<ApiResult>> call) {
    Timer.Sample started = Timer.start();
    Kind planned = broadcast(route) ? Kind.BROADCAST : Kind.ROUTED;
    return call.get().andThen(ar -> {
      Kind kind = planned;
      if (ar.succeeded() && ar.result() != null && ar.result().reply() != null && ar.result().reply().proxied()) {
        kind = Kind.PROXIED;
      }
      started.stop(metrics.timer(MetricFamily.ROUTING_DURATION, word(kind)));
      if (ar.failed()) {
        metrics.counter(MetricFamily.ROUTING_ERRORS, word(kind), BusErrors.toStorefleet(ar.cause(), null).code().name())
            .increment();
      }
    });
  }

  private static boolean broadcast(Route route) {
    return switch (route) {
      case EVERY_SERVER, QUEUE_TABLE, SHARE_CHECK, SHARE_FIX -> true;
      default -> false;
    };
  }

  private static String word(Kind k) {
    return k.name().toLowerCase(Locale.ROOT);
  }
}
