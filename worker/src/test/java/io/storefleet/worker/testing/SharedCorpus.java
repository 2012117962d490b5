package io.storefleet.worker.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The shared corpus of real mail beside the repository, when it is checked out there. */
public final class SharedCorpus {
  private SharedCorpus() {}

  /**
   * The corpus; {@code -Dstorefleet.corpus=DIR} names it where it is not beside the checkout (a
   * worktree). Tests skip only when there is none: one named but missing fails, so a wrong path
   * cannot pass for a clone without the corpus.
   */
  public static Optional<Path> find() {
    String given = System.getProperty("storefleet.corpus");
    if (given != null && !given.isBlank()) {
      Path named = Path.of(given).toAbsolutePath().normalize();
      if (!Files.isDirectory(named)) {
        throw new IllegalStateException("storefleet.corpus names " + named + ", which is not a directory;"
            + " give the corpus's directory or leave the property out");
      }
      return Optional.of(named);
    }
    return Stream.of(Path.of("..", "..", "shared", "corpus"), Path.of("..", "shared", "corpus"))
        .map(p -> p.toAbsolutePath().normalize())
        .filter(Files::isDirectory)
        .findFirst();
  }
}
