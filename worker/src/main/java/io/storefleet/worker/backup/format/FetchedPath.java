package io.storefleet.worker.backup.format;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A backup path rebuilt from its off-site copy (docs/backup-format.md, "The off-site copy"),
 * written into an empty folder: metadata files, then packs (each entry checked against its
 * digest before it is kept), then {@code blobs/index.log}, and the marker last, so that a fetch
 * cut short leaves a folder without a marker, which no engine takes for a backup path. Made with
 * {@link #verifying}, it checks the same way and writes nothing (a coherency check of the copy).
 */
public final class FetchedPath implements Closeable {
  /** One blob of a fetched pack: where its entry starts in the pack, and what the index says of it. */
  public record Entry(String digest, long offset, int length, long rawSize) {}

  private final Path root;
  private final String serverId;
  private final List<String> index = new ArrayList<>();
  private final Set<String> indexed = new HashSet<>();
  private final java.util.List<byte[]> dictionaryBytes = new ArrayList<>();
  private BlobDictionaries dictionaries;
  private byte[] marker;
  private int nextPack;
  private long blobBytes;
  /** Files written and not yet forced (see {@link #write}). */
  private final Set<Path> written = new LinkedHashSet<>();
  /** Forces in flight at once in {@link #forceWritten}. */
  private static final int FORCES = 8;

  private FetchedPath(Path root, String serverId) {
    this.root = root;
    this.serverId = serverId;
  }

  /** Starts a fetch into {@code root}, which must be missing or empty (dot-files aside). */
  public static FetchedPath begin(Path root, String serverId) throws IOException {
    Files.createDirectories(root);
    try (var entries = Files.list(root)) {
      if (entries.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
        throw ErrorCode.CONFLICT.exception("the destination " + root + " is not empty; a fetch writes a whole"
            + " backup path and needs an empty folder (give a new one)", serverId);
      }
    }
    return new FetchedPath(root, serverId);
  }

  /** A check that writes nothing: every file and entry is checked as a fetch would. */
  public static FetchedPath verifying(String serverId) {
    return new FetchedPath(null, serverId);
  }

  /** Where the path is written; null when only verifying. */
  public Path root() {
    return root;
  }

  /**
   * Writes one metadata file (a relative path of the layout); the marker is kept for {@link
   * #finish}. Dictionaries must come before the packs whose frames name them.
   */
  public void writeFile(String relPath, byte[] bytes) throws IOException {
    if (!OffsiteSource.METADATA.matcher(relPath).matches() || relPath.contains("..")) {
      throw ErrorCode.BACKUP_DAMAGED.exception("the off-site copy names a file '" + relPath
          + "' that is not part of a backup path; the copy was not written by storefleet or is damaged", serverId);
    }
    if (relPath.equals(BackupPath.MARKER)) {
      marker = bytes.clone();
      return;
    }
    if (relPath.endsWith(BlobDictionaries.SUFFIX)) {
      if (!(relPath.substring("blobs/dictionaries/".length(), relPath.length() - BlobDictionaries.SUFFIX.length()))
          .equals(BlobCodec.sha256(bytes))) {
        throw ErrorCode.BACKUP_DAMAGED.exception("the off-site copy's dictionary " + relPath
            + " does not match its name", serverId);
      }
      dictionaryBytes.add(bytes.clone());
      dictionaries = null;
    }
    if (root != null) {
      write(root.resolve(relPath), bytes);
    }
  }

  /**
   * Writes one pack, after checking every entry (frame, checksum, decompression, digest); a
   * digest already fetched is left out of the index.
   *
   * @return the pack's file name
   */
  public String writePack(byte[] pack, List<Entry> entries) throws IOException {
    if (dictionaries == null) {
      dictionaries = BlobDictionaries.inMemory(root == null ? Path.of("off-site copy") : root.resolve("blobs")
          .resolve("dictionaries"), dictionaryBytes);
    }
    String name = String.format("%08d.pack", nextPack++);
    List<String> records = new ArrayList<>();
    for (Entry e : entries) {
      BlobPacks.Location l = new BlobPacks.Location(name, e.offset(), e.length(), e.rawSize());
      if (e.offset() < 0 || l.end() > pack.length) {
        throw new CorruptBlobException(e.digest(), "outside its fetched pack (" + pack.length + " bytes)");
      }
      byte[] stored = java.util.Arrays.copyOfRange(pack, (int) e.offset(), (int) l.end());
      PackEntry.decode(e.digest(), l, stored, dictionaries);
      if (indexed.add(e.digest())) {
        records.add(PackEntry.indexRecord(e.digest(), l));
      }
    }
    if (root != null) {
      write(root.resolve("blobs").resolve("packs").resolve(name), pack);
    }
    index.addAll(records);
    blobBytes += pack.length;
    return name;
  }

  /** Blobs fetched so far. */
  public int blobs() {
    return indexed.size();
  }

  public long packBytes() {
    return blobBytes;
  }

  /** Writes the blob index, then the marker: from here on the folder is a backup path. */
  public void finish() throws IOException {
    if (marker == null) {
      throw ErrorCode.BACKUP_DAMAGED.exception("the off-site copy has no " + BackupPath.MARKER
          + "; it is incomplete (was its first upload cut short?)", serverId);
    }
    if (root == null) {
      return;
    }
    Files.createDirectories(root.resolve("blobs").resolve("packs"));
    forceWritten();
    try (AppendLog log = AppendLog.open(root.resolve("blobs").resolve("index.log"))) {
      log.appendAll(index);
      log.force();
    }
    BackupPath.writeAtomically(root.resolve(BackupPath.MARKER), marker);
  }

  /**
   * Writes a file of the path, not yet forced: the folder is not a backup path before its marker,
   * so the files need to be durable only then ({@link #forceWritten}), not one at a time (two
   * forces per file, hundreds of files, were most of a fetch's time).
   */
  private void write(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Files.write(target, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    written.add(target);
  }

  /**
   * Forces every file written and every folder holding them (to the root), before the marker.
   * A few at a time: the file system commits concurrent forces together.
   */
  private void forceWritten() throws IOException {
    Set<Path> dirs = new TreeSet<>();
    for (Path f : written) {
      for (Path d = f.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
        dirs.add(d);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(FORCES, r -> {
      Thread t = new Thread(r, "storefleet-fetch-force");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> forced = new ArrayList<>();
      for (Path f : written) {
        forced.add(pool.submit(() -> {
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
          return null;
        }));
      }
      for (Future<?> f : forced) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while forcing the fetched files of " + root);
    } finally {
      pool.shutdownNow();
    }
    for (Path d : dirs) {
      AppendLog.syncDirectory(d);
    }
    written.clear();
  }

  @Override
  public void close() {
    dictionaries = null;
  }
}
