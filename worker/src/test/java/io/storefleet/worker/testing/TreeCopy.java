package io.storefleet.worker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a directory tree, for tests that need a second, unlocked backup path or the state a kill
 * left behind.
 */
public final class TreeCopy {
  private TreeCopy() {}

  /**
   * Copies everything under {@code from} into {@code to} (created if missing), keeping relative
   * paths; a file already at {@code to} is replaced.
   */
  public static void copyTree(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.toList();
    }
    // Walked parents-first, so each directory exists before the files in it are copied.
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
