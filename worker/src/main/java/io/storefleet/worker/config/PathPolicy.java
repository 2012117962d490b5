package io.storefleet.worker.config;

import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
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
   * resolved for the part that exists, so a link cannot lead out of a root; a link whose target is
   * missing is refused, since what would be created through it could land anywhere.
   */
  public Path check(String given, String param) {
    Path p;
    try {
      p = Path.of(given).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw ErrorCode.BAD_VALUE.exception(
          param + " is not a path server " + serverId + " can use (" + e.getReason() + "); give a plain path",
          serverId);
    }
    Path real = realExisting(p);
    if (real == null) {
      throw ErrorCode.PATH_NOT_ALLOWED.exception(
          param + " " + given + " passes through a symbolic link whose target is missing, so where it leads"
              + " cannot be checked; remove the link or create its target inside " + roots,
          serverId);
    }
    for (Path root : roots) {
      Path realRoot = realExisting(root);
      if (realRoot != null && real.startsWith(realRoot)) {
        return p;
      }
    }
    throw ErrorCode.PATH_NOT_ALLOWED.exception(
        param + " " + given + " is outside the folders server " + serverId + " may use " + roots
            + "; choose a path inside one of them or add a root to server.allowedRoots (--server-allowed-roots;"
            + " deploy/run-local.sh --allowed-roots for the local cluster)",
        serverId);
  }

  /**
   * Where {@code p} really is: its longest existing part with every link resolved, then the rest.
   * Null when that part is a link to nothing (Files.exists would follow it and call it missing).
   */
  private static Path realExisting(Path p) {
    Path existing = p;
    Path rest = Path.of("");
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(rest).normalize();
    } catch (IOException e) {
      return null;
    }
  }
}
