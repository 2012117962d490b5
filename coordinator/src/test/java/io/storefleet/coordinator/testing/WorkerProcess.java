package io.storefleet.coordinator.testing;

import io.storefleet.fabric.node.ClusterSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A worker in its own JVM, for tests where process death matters. */
public final class WorkerProcess implements AutoCloseable {
  private final Process process;

  private WorkerProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code WorkerMain} with the test classpath and waits for its READY line. */
  public static WorkerProcess start(String serverId, Path dataDir, Path allowedRoot, ClusterSettings cluster,
      double maxItemsPerSecond, Path log) throws Exception {
    Process p = launch(serverId, dataDir, allowedRoot, cluster, maxItemsPerSecond, log, List.of());
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("READY " + serverId)) {
            return true;
          }
        }
      } catch (IOException e) {
        return false;
      }
      return false;
    });
    if (!Boolean.TRUE.equals(ready.get(60, TimeUnit.SECONDS))) {
      p.destroyForcibly();
      throw new IllegalStateException("worker " + serverId + " did not start; see " + log);
    }
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
    Process p = launch(serverId, dataDir, allowedRoot, cluster, 0, log, List.of(extraArgs));
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("worker " + serverId + " still runs 60 s after a start that should fail; see "
          + log);
    }
    return p.exitValue();
  }

  private static Process launch(String serverId, Path dataDir, Path allowedRoot, ClusterSettings cluster,
      double maxItemsPerSecond, Path log, List<String> extraArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-modules", "java.se"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      cmd.add("-Djava.util.logging.config.file=" + logging);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.storefleet.worker.WorkerMain",
        "--server-id", serverId,
        "--server-data-dir", dataDir.toString(),
        "--server-allowed-roots", allowedRoot.toString(),
        "--server-max-items-per-second", Double.toString(maxItemsPerSecond),
        "--cluster-name", cluster.clusterName()));
    cmd.addAll(extraArgs);
    return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the process stops answering, as in a long GC pause or a stalled VM. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT: the paused process runs on where it stopped. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
  }
}
