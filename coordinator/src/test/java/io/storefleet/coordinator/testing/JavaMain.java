package io.storefleet.coordinator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a storefleet main class in its own JVM with the test classpath, for process tests.
 *
 * <p>Every process started here is ended by {@link #end} or, failing that, when this JVM ends
 * (a failed or interrupted run): a child left behind, above all one stopped with SIGSTOP, holds
 * its Hazelcast port and data dir and hangs the joins of later runs.
 */
final class JavaMain {
  /** Started and not yet ended. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(JavaMain::end), "end-child-processes"));
  }

  private JavaMain() {}

  /**
   * Starts {@code mainClass}; its stderr goes to {@code log}.
   *
   * @param prefix run under this command (e.g. {@code ip netns exec NS}), or empty
   */
  static Process launch(List<String> prefix, String mainClass, List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
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
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    LIVE.add(p);
    return p;
  }

  /**
   * Ends {@code p} for good, also when it is stopped: SIGCONT first, so that nothing of it stays
   * suspended whatever happens to the SIGKILL, then SIGKILL, and waits for it.
   */
  static void end(Process p) {
    try {
      if (p.isAlive()) {
        new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      if (!p.isAlive()) {
        LIVE.remove(p);
      }
    }
  }

  /**
   * Waits up to 60 s for a stdout line starting with {@code prefix}, then drains the rest.
   *
   * @return the line
   * @throws IllegalStateException (after killing the process) when none came in time
   */
  static String awaitLine(Process p, String prefix, String what, Path log) throws Exception {
    CompletableFuture<String> line = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          if (l.startsWith(prefix)) {
            line.complete(l);
          }
        }
      } catch (IOException e) {
        // The process ended; a missing line is reported below.
      }
      line.complete(null);
    }, "stdout-" + what);
    reader.setDaemon(true);
    reader.start();
    String found = null;
    try {
      found = line.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Reported below.
    } finally {
      if (found == null) {
        end(p);
      }
    }
    if (found == null) {
      throw new IllegalStateException(what + " did not start within 60 s; see " + log);
    }
    return found;
  }

  /** Sends a signal by name (STOP, CONT, KILL) to a process. */
  static void signal(Process p, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + p.pid() + " failed");
    }
  }
}
