package io.storefleet.worker.launch;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.fabric.membership.MergeWatch;
import io.storefleet.fabric.metrics.MetricsEndpoint;
import io.storefleet.fabric.metrics.MetricsSettings;
import io.storefleet.fabric.metrics.ScrapeAccess;
import io.storefleet.fabric.metrics.ScrapeHandler;
import io.storefleet.fabric.membership.ServerIdClaims;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.worker.WorkerNode;
import io.storefleet.worker.config.WorkerConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The start sequence of a worker process: lock the data dir, join the cluster, claim the server
 * id, open and serve. A step that fails undoes the ones before it, so a refused worker leaves the
 * cluster and holds nothing, and ends with its {@link ExitCode}.
 */
public final class WorkerLaunch {
  private static final Logger LOG = Logger.getLogger(WorkerLaunch.class.getName());
  private static final long LEAVE_TIMEOUT_SECONDS = 30;

  private WorkerLaunch() {}

  /** A started worker and what it holds, released in reverse order by {@link #stop()}. */
  public static final class Running {
    private final DataDirLock lock;
    private final ClusterNode node;
    private final ServerIdClaims.Held claim;
    private final WorkerNode worker;
    private final MergeWatch merges;
    private final MetricsEndpoint metrics;

    private Running(DataDirLock lock, ClusterNode node, ServerIdClaims.Held claim, WorkerNode worker,
        MetricsEndpoint metrics) {
      this.lock = lock;
      this.node = node;
      this.claim = claim;
      this.worker = worker;
      this.metrics = metrics;
      // The directory is republished every 30 s anyway; after a merge it is wanted at once.
      this.merges = MergeWatch.start(node, () -> worker.republish()
          .onFailure(e -> LOG.warning("directory not republished after a cluster merge: " + e)));
    }

    public String nodeId() {
      return node.nodeId();
    }

    /** The port {@code /metrics} is served on, 0 when off. */
    public int metricsPort() {
      return metrics.port();
    }

    /** Stops serving, gives the id back, leaves the cluster and unlocks the data dir. */
    public void stop() throws Exception {
      try {
        merges.close();
        metrics.close().await();
        worker.stop().await();
        claim.release();
      } finally {
        leave(node);
        lock.close();
      }
    }
  }

  /**
   * Runs the sequence; blocks until the worker serves.
   *
   * @param lost told when the running worker must stop because it lost its server id (another
   *     live member took it over while this one was split from the cluster), with the code to end with
   */
  public static Running start(WorkerConfig config, Clock clock, Consumer<StartFailure> lost) throws StartFailure {
    return start(config, MetricsSettings.OFF, clock, lost);
  }

  /** As {@link #start(WorkerConfig, Clock, Consumer)}, serving {@code /metrics} as {@code metrics} says. */
  public static Running start(WorkerConfig config, MetricsSettings metrics, Clock clock, Consumer<StartFailure> lost)
      throws StartFailure {
    try {
      MetricsEndpoint.check(metrics, config.cluster().tls());
    } catch (IllegalArgumentException e) {
      throw new StartFailure(ExitCode.BAD_SETTINGS, e.getMessage(), e);
    }
    DataDirLock lock = DataDirLock.acquire(config.dataDir(), config.serverId(), clock);
    ClusterNode node;
    try {
      node = ClusterNode.start(config.cluster()).await();
    } catch (IllegalArgumentException e) {
      // The event bus's certificate files do not check out: a setting to fix, not a cluster to wait for.
      unlock(lock);
      throw new StartFailure(ExitCode.BAD_SETTINGS, e.getMessage(), e);
    } catch (Exception e) {
      unlock(lock);
      throw new StartFailure(ExitCode.CLUSTER_UNAVAILABLE,
          "could not join cluster " + config.cluster().clusterName() + ": " + e.getMessage(), e);
    }
    try {
      // Twice the drop time: on a loaded machine the master notices a killed member late.
      Duration leaveWait = config.cluster().silentMemberDroppedAfter().multipliedBy(2).plusSeconds(5);
      ServerIdClaims.Held claim = new ServerIdClaims(node, leaveWait, clock)
          .claim(config.serverId(), config.dataDir().toString(), e -> lost.accept(failure(e)));
      try {
        WorkerNode worker = WorkerNode.start(node.vertx(), node.nodeId(), config, clock, null, node.metrics()).await();
        MetricsEndpoint endpoint;
        try {
          endpoint = MetricsEndpoint.start(node.vertx(), metrics, config.cluster().tls(), clock,
              new ScrapeHandler(node.vertx(), node.metrics(),
              new ScrapeAccess(metrics.access(), new ClusterDirectory(node.vertx())))).await();
        } catch (Exception e) {
          worker.stop().await();
          throw new StartFailure(ExitCode.BAD_SETTINGS, e.getMessage(), e);
        }
        return new Running(lock, node, claim, worker, endpoint);
      } catch (Exception e) {
        claim.release();
        throw e;
      }
    } catch (Exception e) {
      leave(node);
      unlock(lock);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw failure(e);
    }
  }

  private static StartFailure failure(Exception e) {
    if (e instanceof StartFailure f) {
      return f;
    }
    return new StartFailure(ExitCode.of(e), e.getMessage() != null ? e.getMessage() : e.toString(), e);
  }

  private static void leave(ClusterNode node) {
    try {
      node.close().toCompletionStage().toCompletableFuture().get(LEAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("left the cluster");
    } catch (Exception e) {
      // The process ends anyway; the cluster then drops the member after its missed heartbeats.
      LOG.warning("did not leave the cluster cleanly: " + e);
    }
  }

  private static void unlock(DataDirLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      LOG.warning("data dir lock not released: " + e);
    }
  }
}
