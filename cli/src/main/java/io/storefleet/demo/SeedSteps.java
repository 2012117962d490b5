package io.storefleet.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The demo seed's steps (CLI command lines), each done once across interrupted starts. A journal
 * records every step as it succeeds; a new run skips the recorded ones. A step that was done but
 * not yet recorded (the seed was killed in between) fails with ALREADY_EXISTS on every server it
 * reached and counts as done, so a seed interrupted anywhere completes on the next run.
 */
final class SeedSteps {
  /** What one CLI run answered: its exit code and everything it printed. */
  record Outcome(int code, String text) {}

  /** Runs one {@code storefleet} command line. */
  interface Runner {
    Outcome run(List<String> args);
  }

  private final Path journal;
  private final Runner runner;
  private final Set<String> done = new HashSet<>();
  private int skipped;

  private SeedSteps(Path journal, Runner runner) {
    this.journal = journal;
    this.runner = runner;
  }

  static SeedSteps open(Path journal, Runner runner) throws IOException {
    SeedSteps s = new SeedSteps(journal, runner);
    if (Files.exists(journal)) {
      s.done.addAll(Files.readAllLines(journal, StandardCharsets.UTF_8));
    }
    return s;
  }

  /** How many steps were skipped because an earlier run did them. */
  int skipped() {
    return skipped;
  }

  void step(String... args) throws IOException {
    String key = String.join(" ", args);
    if (done.contains(key)) {
      skipped++;
      return;
    }
    Outcome o = runner.run(List.of(args));
    if (o.code() != 0 && !onlyAlreadyExists(o.text())) {
      throw new IllegalStateException("demo seeding failed at: storefleet " + key + " (exit " + o.code() + "): "
          + o.text().strip() + "\nStarting again resumes the seeding after the steps already done"
          + " (deploy/run-local.sh); deploy/run-local.sh --reset deletes the local data and seeds from empty.");
    }
    Files.writeString(journal, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
    done.add(key);
  }

  /** Whether every error a failed run printed (one per server for a broadcast) is ALREADY_EXISTS. */
  static boolean onlyAlreadyExists(String text) {
    List<String> errors = text.lines()
        .filter(l -> l.startsWith("storefleet: ") || l.contains(": FAILED "))
        .toList();
    return !errors.isEmpty() && errors.stream().allMatch(l -> l.contains("ALREADY_EXISTS"));
  }
}
