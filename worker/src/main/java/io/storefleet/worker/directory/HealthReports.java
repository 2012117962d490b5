package io.storefleet.worker.directory;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.ServerHealth;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Publishes the server's health reports to the cluster directory, where the coordinators' {@code
 * GET /api/v1/servers} reads them. A report that does not land is replaced by the next one (every
 * 15 s), so a failure is logged and not retried.
 */
public final class HealthReports implements Consumer<ServerHealth> {
  private static final Logger LOG = Logger.getLogger(HealthReports.class.getName());

  private final ClusterDirectory directory;
  private final String serverId;

  public HealthReports(ClusterDirectory directory, String serverId) {
    this.directory = directory;
    this.serverId = serverId;
  }

  @Override
  public void accept(ServerHealth health) {
    directory.putServerHealth(serverId, health)
        .onFailure(e -> LOG.warning("health report of " + serverId + " not published (the next one follows): "
            + e.getMessage()));
  }
}
