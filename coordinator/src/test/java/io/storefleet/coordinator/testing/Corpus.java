package io.storefleet.coordinator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared e-mail corpus beside the project, when this machine has it. */
public final class Corpus {
  private Corpus() {}

  /** {@code ../shared/corpus} from the repo root or from a module, or null. */
  public static Path dir() {
    for (Path p : new Path[] {Path.of("..", "shared", "corpus"), Path.of("..", "..", "shared", "corpus")}) {
      if (Files.isDirectory(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }
}
