package io.storefleet.worker.importmap;

import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The import maps in one backup path, each read once and read again only when it grew (maps are
 * append-only), because a big map takes a second to parse and a check asks for it twice.
 */
public final class MapFiles {
  private record Cached(long size, long modified, IdMap map) {}

  private final Path root;
  private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

  public MapFiles(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The file names of every import map in the backup path, sorted. */
  public List<String> names() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(IdMap::isMapName).sorted()
          .forEach(out::add);
    }
    return out;
  }

  /** A file named relative to the backup path; a name that leads out of it is refused. */
  public Path inside(String given, String serverId) {
    Path p = root.resolve(given).normalize();
    if (!p.startsWith(root)) {
      throw ErrorCode.PATH_NOT_ALLOWED.exception("import map " + given + " is outside the backup path " + root
          + "; give the map's file name, e.g. map_<source server>", serverId);
    }
    return p;
  }

  /**
   * An import map of this backup path by file name, as doFixShares takes it: it must be a
   * {@code map_<server>} file directly in the backup path, where imports write them.
   */
  public Path resolve(String given, String serverId) {
    Path p = inside(given, serverId);
    if (!root.equals(p.getParent()) || !IdMap.isMapName(p.getFileName().toString())) {
      throw ErrorCode.BAD_VALUE.exception("import map " + given + " is not a map_<server> file directly in the"
          + " backup path " + root + ", where imports write them", serverId);
    }
    if (!Files.isRegularFile(p)) {
      throw ErrorCode.NOT_FOUND.exception("import map " + given + " does not exist in the backup path " + root
          + (namesOrEmpty().isEmpty() ? ", which holds no import map" : "; it holds " + String.join(", ", namesOrEmpty())),
          serverId);
    }
    return p;
  }

  private List<String> namesOrEmpty() {
    try {
      return names();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The map in {@code file}, parsed or from the cache. */
  public IdMap get(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    Cached c = cache.get(file);
    if (c != null && c.size() == a.size() && c.modified() == a.lastModifiedTime().toMillis()) {
      return c.map();
    }
    IdMap m = IdMap.read(file);
    cache.put(file, new Cached(a.size(), a.lastModifiedTime().toMillis(), m));
    return m;
  }
}
