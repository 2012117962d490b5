package io.storefleet.worker.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The shared corpus of real mail beside the repository, when it is checked out there. */
public final class SharedCorpus {
  private SharedCorpus() {}

  /** The corpus; {@code -Dstorefleet.corpus=DIR} names it where it is not beside the checkout (a worktree). */
  public static Optional<Path> find() {
    String given = System.getProperty("storefleet.corpus");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given).toAbsolutePath().normalize()).filter(Files::isDirectory);
    }
    return Stream.of(Path.of("..", "..", "shared", "corpus"), Path.of("..", "shared", "corpus"))
        .map(p -> p.toAbsolutePath().normalize())
        .filter(Files::isDirectory)
        .findFirst();
  }
}
