package io.storefleet.worker.backup.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.TreeMap;

/**
 * A consistent cut of a backup path for its off-site copy (docs/backup-format.md, "The off-site
 * copy"): every metadata file with the length it had at the cut, and every blob committed then.
 * Taken under the write side of the commit lock, so no commit is half in it: every state the
 * metadata names has its blob among the cut's blobs (invariant 4). Read only; never writes.
 *
 * <p>Logs only grow outside purge and coherency fix, which run on the operation queue like the
 * upload, so the first {@code length} bytes of a log read after the cut are the bytes it had at
 * the cut. {@code server/realtime.log}, which the real-time scanner compacts by rewriting, is
 * read whole at the cut.
 */
public final class OffsiteSource {
  /** The relative paths (with '/') a fetched path may hold: the layout's metadata files. */
  static final Pattern METADATA = Pattern.compile(
      "storefleet-backup\\.json|map_[^/]+|blobs/dictionaries/[0-9a-f]{64}\\.dict"
          + "|accounts/[^/]+/(items|account)\\.log|server/[a-z]+\\.log|server/[a-z]+/[a-z]+_[0-9TZ]+\\.json\\.zst");

  /** One metadata file as it was at the cut; {@code bytes} is set for files read at the cut. */
  public record MetaFile(String relPath, long length, byte[] bytes) {}

  private final BackupEngine engine;
  private final List<MetaFile> files;
  private final Map<String, BlobPacks.Location> blobs;

  private OffsiteSource(BackupEngine engine, List<MetaFile> files, Map<String, BlobPacks.Location> blobs) {
    this.engine = engine;
    this.files = files;
    this.blobs = blobs;
  }

  /** Takes the cut: briefly holds the write side of the commit lock (scans and the real-time scanner wait). */
  public static OffsiteSource capture(BackupEngine engine) throws IOException {
    engine.commitLock().writeLock().lock();
    try {
      Path root = engine.path().root();
      List<MetaFile> files = new ArrayList<>();
      for (Map.Entry<String, Long> e : metadataFiles(engine.path()).entrySet()) {
        String rel = e.getKey();
        Path p = root.resolve(rel);
        if (p.equals(engine.path().realtimeCursor()) || rel.equals(BackupPath.MARKER)) {
          byte[] b = Files.readAllBytes(p);
          files.add(new MetaFile(rel, b.length, b));
        } else {
          files.add(new MetaFile(rel, e.getValue(), null));
        }
      }
      return new OffsiteSource(engine, List.copyOf(files), new LinkedHashMap<>(engine.blobs().committed()));
    } finally {
      engine.commitLock().writeLock().unlock();
    }
  }

  /**
   * The backup path's identity: its marker's {@code created} value, which a fetch keeps (it
   * writes the marker as it was), so a path rebuilt from the copy continues the same history.
   */
  public String pathIdentity() {
    for (MetaFile f : files) {
      if (f.relPath().equals(BackupPath.MARKER)) {
        try {
          Object created = io.storefleet.protocol.codec.Json.decode(new String(f.bytes(),
              java.nio.charset.StandardCharsets.UTF_8), java.util.Map.class).get("created");
          if (created != null) {
            return created.toString();
          }
        } catch (RuntimeException e) {
          // reported below
        }
      }
    }
    throw io.storefleet.protocol.error.ErrorCode.BACKUP_DAMAGED.exception("backup path " + engine.path().root()
        + " has no readable " + BackupPath.MARKER + " with its creation time; run doCoherencyCheck on it", serverId());
  }

  /** Where the backup path is, for messages. */
  public String pathRoot() {
    return engine.path().root().toString();
  }

  /**
   * The layout's metadata files with their sizes, by relative path, sorted. Packs and quarantine
   * are not walked (never metadata, and the bulk of the files). A file that vanishes while the
   * folder is walked is left out: the real-time scanner compacts its cursor outside the commit
   * lock, through a {@code .compact} file renamed over it, and such transient files are not
   * metadata (the cursor itself is replaced atomically, so it is never missing).
   */
  private static Map<String, Long> metadataFiles(BackupPath path) throws IOException {
    Path root = path.root();
    Map<String, Long> out = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(path.packsDir()) || dir.equals(path.quarantineDir())
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String rel = root.relativize(file).toString().replace('\\', '/');
        if (attrs.isRegularFile() && METADATA.matcher(rel).matches()) {
          out.put(rel, attrs.size());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e == null || e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return out;
  }

  /** The backup's server. */
  public String serverId() {
    return engine.path().serverId();
  }

  public List<MetaFile> files() {
    return files;
  }

  /** The blobs committed at the cut, by digest. */
  public Map<String, BlobPacks.Location> blobs() {
    return blobs;
  }

  /** A metadata file's bytes as they were at the cut. */
  public byte[] read(MetaFile f) throws IOException {
    if (f.bytes() != null) {
      return f.bytes();
    }
    byte[] out = new byte[(int) f.length()];
    try (InputStream in = Files.newInputStream(engine.path().root().resolve(f.relPath()))) {
      int n = in.readNBytes(out, 0, out.length);
      if (n != out.length) {
        throw new IOException(f.relPath() + " in " + engine.path().root() + " is shorter than at the cut ("
            + n + " of " + out.length + " bytes); was it rewritten by a purge or fix outside the queue?");
      }
    }
    return out;
  }

  /** A blob's whole pack entry (header and stored bytes), as a pack holds it. */
  public byte[] entry(BlobPacks.Location l) throws IOException {
    return engine.blobs().readStored(l);
  }
}
