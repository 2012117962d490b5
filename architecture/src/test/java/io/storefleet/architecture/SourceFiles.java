package io.storefleet.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The main source files of every module of the build. */
final class SourceFiles {
  private SourceFiles() {}

  /** Every {@code .java} file under a module's src/main/java, by its path relative to that root. */
  static Map<String, Path> mainSources() {
    Path root = root();
    Map<String, Path> out = new HashMap<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.toList()) {
        Path java = module.resolve("src/main/java");
        if (!Files.isDirectory(java)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(java)) {
          files.filter(f -> f.toString().endsWith(".java"))
              .forEach(f -> out.put(java.relativize(f).toString().replace('\\', '/'), f));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the modules' sources under " + root, e);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no main source under " + root + "; storefleet.root must be the build's root");
    }
    return out;
  }

  static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Path root() {
    String root = System.getProperty("storefleet.root");
    if (root == null) {
      throw new IllegalStateException("system property storefleet.root is not set; run the tests with Maven"
          + " (architecture/pom.xml sets it to the build's root)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }
}
