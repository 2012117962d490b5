package io.storefleet.fabric.metrics;

import io.storefleet.fabric.config.Settings;
import java.util.List;

/**
 * Where a worker serves {@code /metrics} and who may read it. A coordinator serves it on its API
 * port and reads only {@code metrics.access}.
 *
 * @param host the address the worker's metrics port listens on
 * @param port the worker's metrics port; 0 (the default) serves none
 * @param access who may read
 */
public record MetricsSettings(String host, int port, ScrapeAccess.Mode access) {
  /** The keys a worker accepts. */
  public static final List<String> WORKER_KEYS = List.of("metrics.host", "metrics.port", "metrics.access");
  /** The keys a coordinator accepts. */
  public static final List<String> COORDINATOR_KEYS = List.of("metrics.access");
  /** No metrics port; the registry is still kept. */
  public static final MetricsSettings OFF = new MetricsSettings("127.0.0.1", 0, ScrapeAccess.Mode.TOKEN);

  public MetricsSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics.port must be 0 (off) or a port up to 65535, got " + port);
    }
  }

  public static MetricsSettings from(Settings s) {
    return new MetricsSettings(s.get("metrics.host", "127.0.0.1"), s.getInt("metrics.port", 0),
        ScrapeAccess.Mode.of(s.get("metrics.access", "token")));
  }
}
