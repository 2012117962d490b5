package io.storefleet.worker.config;

import io.storefleet.fabric.node.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one worker needs to know.
 *
 * @param serverId the mailbox server this worker serves, e.g. {@code mbox1}
 * @param dataDir where the embedded store and the operation log live
 * @param backupPath the server's backup path
 * @param allowedRoots the only folders operator-given paths may point into
 * @param cluster how to join the cluster
 * @param maxItemsPerSecond items per second an operation may process, 0 for no limit
 * @param requestTimeout how long a proxied request may take
 * @param store which mail store the worker serves
 */
public record WorkerConfig(
    String serverId,
    Path dataDir,
    Path backupPath,
    List<Path> allowedRoots,
    ClusterSettings cluster,
    double maxItemsPerSecond,
    Duration requestTimeout,
    StoreConfig store) {

  public WorkerConfig {
    if (serverId == null || !serverId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "server id '" + serverId + "' is not valid; use letters, digits, '.', '_' or '-'");
    }
    if (serverId.equals("all_servers")) {
      throw new IllegalArgumentException("'all_servers' is reserved and cannot be a server id");
    }
    allowedRoots = List.copyOf(allowedRoots);
    if (store == null) {
      store = StoreConfig.local();
    }
  }

  /** A worker on the embedded store. */
  public WorkerConfig(String serverId, Path dataDir, Path backupPath, List<Path> allowedRoots, ClusterSettings cluster,
      double maxItemsPerSecond, Duration requestTimeout) {
    this(serverId, dataDir, backupPath, allowedRoots, cluster, maxItemsPerSecond, requestTimeout, StoreConfig.local());
  }

  /** The store's folder inside the data dir. */
  public Path storeDir() {
    return dataDir.resolve("store");
  }

  /** The operation log inside the data dir. */
  public Path operationLog() {
    return dataDir.resolve("operations.log");
  }

  /** The request ids this server answered, beside its operation log. */
  public Path requestLog() {
    return dataDir.resolve("requests.log");
  }
}
