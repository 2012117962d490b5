package io.storefleet.coordinator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts a storefleet main class in its own JVM with the test classpath, for process tests. */
final class JavaMain {
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
    return new ProcessBuilder(cmd).redirectError(log.toFile()).start();
  }

  /**
   * Waits up to 60 s for a stdout line starting with {@code prefix}, then drains the rest.
   *
   * @return the line
   * @throws IllegalStateException (after killing the process) when none came
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
    String found = line.get(60, TimeUnit.SECONDS);
    if (found == null) {
      p.destroyForcibly();
      throw new IllegalStateException(what + " did not start; see " + log);
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
