package io.storefleet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The coordinators' certificates the CLI has met, like ssh's known_hosts: one line per
 * coordinator, {@code host:port sha256-fingerprint}. The first connection to a coordinator whose
 * certificate no CA vouches for pins it; later ones must present the same certificate.
 */
final class KnownCoordinators {
  private final Path file;

  KnownCoordinators(Path file) {
    this.file = file;
  }

  /** {@code STOREFLEET_KNOWN_COORDINATORS}, else {@code ~/.storefleet/known_coordinators}. */
  static Path defaultFile() {
    String env = System.getenv("STOREFLEET_KNOWN_COORDINATORS");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".storefleet", "known_coordinators");
  }

  Path file() {
    return file;
  }

  /** The pinned fingerprint and its line number, or null if the coordinator was never met. */
  synchronized Pin find(String endpoint) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length == 2 && f[0].equals(endpoint)) {
        return new Pin(f[1], i + 1);
      }
    }
    return null;
  }

  synchronized void pin(String endpoint, String fingerprint) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, endpoint + " " + fingerprint + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  record Pin(String fingerprint, int line) {}
}
