package io.storefleet.coordinator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.storefleet.worker.testing.MissingComponent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code promtool} (deploy/prometheus/install.sh). Without it a test skips naming the
 * install script, except in CI ({@code CI=true}), where it fails.
 */
public final class Promtool {
  private static final Path BINARY = Path.of("/usr/bin/promtool");

  private Promtool() {}

  private static final String MISSING = "promtool is not installed; install it with: sudo deploy/prometheus/install.sh";

  /** Skips (or, in CI, fails) the calling test when promtool is not installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(installed(), MISSING);
  }

  /**
   * Whether promtool is there, for a test that does more than use it; fails in CI when it is not.
   * A dev machine without it is told on stderr which checks were left out.
   */
  public static boolean installed() {
    if (Files.isExecutable(BINARY)) {
      return true;
    }
    if (MissingComponent.inCi()) {
      fail(MISSING + " (CI must run the promtool checks)");
    }
    System.err.println("SKIPPED promtool checks: " + MISSING);
    return false;
  }

  /** Runs {@code promtool args...} in {@code dir} with {@code stdin}; asserts exit 0; returns the output. */
  public static String run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool " + args[0] + " did not end in 60 s: " + out);
    }
    assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
    return out;
  }
}
