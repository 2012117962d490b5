package io.storefleet.fabric.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * The metrics of one cluster node (one Vert.x instance): a Prometheus registry holding the
 * {@link MetricFamily} meters, Vert.x's HTTP and event-bus meters, and JVM and process meters.
 * Several nodes may share a JVM (tests do), so each has its own registry, known to Vert.x under a
 * name of its own.
 */
public final class NodeMetrics implements AutoCloseable {
  /** The text format {@link #scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String registryName = "storefleet-" + UUID.randomUUID();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private static final java.util.Set<String> LINT_BREAKERS = java.util.Set.of("process.cpu.time", "system.cpu.count");

  public NodeMetrics() {
    // Two of Micrometer's process meters break Prometheus naming rules (promtool's lint): one is
    // in nanoseconds under an abbreviated unit, the other a gauge ending in _count.
    registry.config().meterFilter(MeterFilter.deny(id -> LINT_BREAKERS.contains(id.getName())));
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * Vert.x options that report HTTP servers and the event bus here. Vert.x's default labels are
   * the bounded ones (method, status code, side); event-bus addresses, which name operations, are
   * left out.
   */
  public VertxOptions vertxOptions(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setRegistryName(registryName));
  }

  /** The factory that binds Vert.x's meters to this registry; with {@link #vertxOptions}. */
  public VertxMetricsFactory vertxFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** The registry, for meters that are not storefleet families (there should be none outside tests). */
  public MeterRegistry registry() {
    return registry;
  }

  /** A counter of {@code family} with these label values (in the family's label order). */
  public Counter counter(MetricFamily family, String... labelValues) {
    check(family, MetricFamily.Type.COUNTER, labelValues);
    return Counter.builder(family.meterName()).description(family.help()).baseUnit(family.baseUnit())
        .tags(tags(family, labelValues)).register(registry);
  }

  /** A histogram of durations of {@code family}. */
  public Timer timer(MetricFamily family, String... labelValues) {
    check(family, MetricFamily.Type.HISTOGRAM, labelValues);
    List<Duration> buckets = family.buckets();
    return Timer.builder(family.meterName()).description(family.help()).tags(tags(family, labelValues))
        .serviceLevelObjectives(buckets.toArray(Duration[]::new)).register(registry);
  }

  /**
   * A gauge of {@code family} reading {@code fn} of {@code source} at scrape time. Scrapes run on
   * any thread: {@code fn} must only read a cached value, never block.
   */
  public <T> void gauge(MetricFamily family, T source, ToDoubleFunction<T> fn, String... labelValues) {
    check(family, MetricFamily.Type.GAUGE, labelValues);
    Gauge.builder(family.meterName(), source, fn).description(family.help()).baseUnit(family.baseUnit())
        .tags(tags(family, labelValues)).strongReference(true).register(registry);
  }

  /** The exposition in Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  private static void check(MetricFamily family, MetricFamily.Type type, String[] labelValues) {
    if (family.type() != type) {
      throw new IllegalArgumentException(family + " is a " + family.type() + ", not a " + type);
    }
    if (labelValues.length != family.labels().size()) {
      throw new IllegalArgumentException(family + " takes the labels " + family.labels() + ", got "
          + labelValues.length + " value(s)");
    }
  }

  private static Tags tags(MetricFamily family, String[] values) {
    Tags t = Tags.empty();
    for (int i = 0; i < values.length; i++) {
      t = t.and(family.labels().get(i), values[i] == null ? "none" : values[i]);
    }
    return t;
  }

  /** Releases the JVM listeners; the registry keeps answering with what it had. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
