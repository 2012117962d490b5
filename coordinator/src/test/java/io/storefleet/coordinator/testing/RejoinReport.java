package io.storefleet.coordinator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Where rejoin tests write the time each round took from the fault's end to the first routed
 * command served: one line per round to the file named by {@code storefleet.rejoin.report}
 * ({@code deploy/bench/rejoin.sh} sets it and prints the longest), and to the test's output.
 */
public final class RejoinReport {
  private RejoinReport() {}

  public static void record(String fault, int round, Duration rejoin) throws IOException {
    String line = fault + " round " + round + " resumeToFirstSuccessMs " + rejoin.toMillis();
    System.out.println("REJOIN " + line);
    String file = System.getProperty("storefleet.rejoin.report");
    if (file != null && !file.isBlank()) {
      Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }
}
