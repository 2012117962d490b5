package io.storefleet.worker;

import io.storefleet.fabric.config.Settings;
import io.storefleet.fabric.metrics.MetricsSettings;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.config.WorkerConfig;
import io.storefleet.worker.launch.ExitCode;
import io.storefleet.worker.launch.StartFailure;
import io.storefleet.worker.launch.WorkerLaunch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts one worker process: {@code WorkerMain --server-id mbox1 --server-data-dir DIR ...} or
 * {@code --config worker.properties}. It prints {@code READY <serverId> <nodeId>} once it serves;
 * a start that fails prints why on stderr and exits with an {@link ExitCode}.
 */
public final class WorkerMain {
  private static final Logger LOG = Logger.getLogger(WorkerMain.class.getName());

  static final List<String> KEYS = new ArrayList<>(List.of(
      "server.id", "server.dataDir", "server.backupPath", "server.allowedRoots",
      "server.maxItemsPerSecond", "server.requestTimeoutSeconds"));

  static {
    KEYS.addAll(Settings.CLUSTER_KEYS);
    KEYS.addAll(StoreConfig.KEYS);
    KEYS.addAll(MetricsSettings.WORKER_KEYS);
  }

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    WorkerConfig config;
    MetricsSettings metrics;
    try {
      Settings settings = Settings.parse(args, KEYS);
      config = config(settings);
      metrics = MetricsSettings.from(settings);
    } catch (IllegalArgumentException e) {
      System.err.println("storefleet worker: " + e.getMessage());
      System.exit(ExitCode.BAD_SETTINGS.code());
      return;
    }
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--config")) {
        // doBackupServerCustomizations keeps a copy of the file the worker was started with.
        System.setProperty("storefleet.configFile", Path.of(args[i + 1]).toAbsolutePath().toString());
      }
    }
    WorkerLaunch.Running running;
    try {
      // Exiting runs the shutdown hook below, which stops the worker and leaves the cluster; from a
      // thread of its own, as System.exit blocks its caller until the hooks end.
      running = WorkerLaunch.start(config, metrics, Clock.systemDefaultZone(),
          lost -> new Thread(() -> exit(config, lost, "stops"), "storefleet-worker-lost").start());
    } catch (StartFailure f) {
      exit(config, f, "did not start");
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.stop();
      } catch (Exception e) {
        LOG.warning("unclean stop of worker " + config.serverId() + ": " + e);
      }
      stopped.countDown();
    }, "storefleet-worker-stop"));
    System.out.println("READY " + config.serverId() + " " + running.nodeId()
        + (running.metricsPort() > 0 ? " metrics " + metrics.host() + ":" + running.metricsPort() : ""));
    System.out.flush();
    stopped.await();
  }

  private static void exit(WorkerConfig config, StartFailure f, String what) {
    // A refusal explains itself; only an unexpected failure needs its stack trace.
    LOG.log(f.exitCode() == ExitCode.START_FAILED ? Level.WARNING : Level.FINE, "worker " + what, f);
    System.err.println("storefleet worker " + config.serverId() + " " + what + ": " + f.getMessage());
    System.exit(f.exitCode().code());
  }

  /** The worker configuration from settings. */
  public static WorkerConfig config(Settings s) {
    String id = s.required("server.id");
    Path data = Path.of(s.get("server.dataDir", "data/" + id)).toAbsolutePath();
    Path backup = Path.of(s.get("server.backupPath", data.resolve("backup").toString())).toAbsolutePath();
    List<Path> roots = new ArrayList<>();
    for (String r : s.getList("server.allowedRoots", "")) {
      roots.add(Path.of(r));
    }
    if (roots.isEmpty()) {
      roots.add(data);
      roots.add(Path.of(System.getProperty("java.io.tmpdir")));
    }
    double rate = Double.parseDouble(s.get("server.maxItemsPerSecond", "0"));
    Duration timeout = Duration.ofSeconds(s.getInt("server.requestTimeoutSeconds", 30));
    return new WorkerConfig(id, data, backup, roots, s.cluster(), rate, timeout, StoreConfig.from(s));
  }
}
