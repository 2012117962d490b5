package io.storefleet.coordinator.testing;

import io.storefleet.fabric.node.ClusterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A worker in its own JVM, for tests where process death matters. */
public final class WorkerProcess extends NodeProcess {
  private WorkerProcess(Process process) {
    super(process);
  }

  /** Starts {@code WorkerMain} with the test classpath and waits for its READY line. */
  public static WorkerProcess start(String serverId, Path dataDir, Path allowedRoot, ClusterSettings cluster,
      double maxItemsPerSecond, Path log) throws Exception {
    return start(List.of(), serverId, dataDir, allowedRoot, cluster, maxItemsPerSecond, log);
  }

  /**
   * Starts a worker under a command prefix (e.g. {@code ip netns exec NS}), joining with
   * {@code cluster}'s host and member list.
   */
  public static WorkerProcess start(List<String> prefix, String serverId, Path dataDir, Path allowedRoot,
      ClusterSettings cluster, double maxItemsPerSecond, Path log) throws Exception {
    Process p = launch(prefix, serverId, dataDir, allowedRoot, cluster, maxItemsPerSecond, log, List.of());
    JavaMain.awaitLine(p, "READY " + serverId, "worker " + serverId, log);
    return new WorkerProcess(p);
  }

  /**
   * Runs {@code WorkerMain} until it ends by itself, for starts that are to be refused; its
   * stderr goes to {@code log}.
   *
   * @return the exit code
   * @throws IllegalStateException if it is still running after 60 s (a refused start that hangs)
   */
  public static int runToExit(String serverId, Path dataDir, Path allowedRoot, ClusterSettings cluster, Path log,
      String... extraArgs) throws Exception {
    Process p = launch(List.of(), serverId, dataDir, allowedRoot, cluster, 0, log, List.of(extraArgs));
    try {
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("worker " + serverId + " still runs 60 s after a start that should fail;"
            + " see " + log);
      }
      return p.exitValue();
    } finally {
      JavaMain.end(p);
    }
  }

  private static Process launch(List<String> prefix, String serverId, Path dataDir, Path allowedRoot,
      ClusterSettings cluster, double maxItemsPerSecond, Path log, List<String> extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--server-id", serverId,
        "--server-data-dir", dataDir.toString(),
        "--server-allowed-roots", allowedRoot.toString(),
        "--server-max-items-per-second", Double.toString(maxItemsPerSecond)));
    args.addAll(clusterArgs(cluster));
    args.addAll(extraArgs);
    return JavaMain.launch(prefix, "io.storefleet.worker.WorkerMain", args, log);
  }

  /**
   * The flags that make a process join {@code cluster} as the test's own members do: a plain
   * event bus, allowed off loopback too because the partition test's hosts have addresses of
   * their own (event-bus TLS has its own tests).
   */
  static List<String> clusterArgs(ClusterSettings cluster) {
    return List.of("--cluster-name", cluster.clusterName(), "--cluster-host", cluster.host(),
        "--cluster-members", String.join(",", cluster.members()), "--cluster-allow-plain", "true");
  }
}
