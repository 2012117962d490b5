package io.storefleet.worker.config;

import io.storefleet.protocol.error.ErrorCode;
import java.nio.file.Path;
import java.util.List;

/** Confines operator-given paths to the configured roots. */
public final class PathPolicy {
  private final List<Path> roots;
  private final String serverId;

  public PathPolicy(List<Path> roots, String serverId) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.serverId = serverId;
  }

  /**
   * The absolute, normalized path, or PATH_NOT_ALLOWED naming it and the roots. Symbolic links are
   * resolved for the part that exists, so a link cannot lead out of a root.
   */
  public Path check(String given, String param) {
    Path p = Path.of(given).toAbsolutePath().normalize();
    Path real = realExisting(p);
    for (Path root : roots) {
      Path realRoot = realExisting(root);
      if (real.startsWith(realRoot)) {
        return p;
      }
    }
    throw ErrorCode.PATH_NOT_ALLOWED.exception(
        param + " " + given + " is outside the folders server " + serverId + " may use " + roots
            + "; choose a path inside one of them or add a root to server.allowedRoots (--server-allowed-roots;"
            + " deploy/run-local.sh --allowed-roots for the local cluster)",
        serverId);
  }

  private static Path realExisting(Path p) {
    Path existing = p;
    Path rest = Path.of("");
    while (existing != null && !existing.toFile().exists()) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(rest).normalize();
    } catch (java.io.IOException e) {
      return p;
    }
  }
}
