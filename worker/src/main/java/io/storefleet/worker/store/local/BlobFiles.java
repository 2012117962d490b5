package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.WriteFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Item contents stored by SHA-256 under {@code blobs/<first 2 hex>/<hex>}: identical content is
 * stored once, and a file, once renamed into place, never changes, except that a blob restore
 * replaces a damaged one with the content its name promises.
 */
final class BlobFiles {
  // Windows cannot open a directory as a channel; there the rename is as durable as NTFS makes it.
  private static final boolean SYNC_DIRECTORIES =
      !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private static final int WRITERS = 16;
  private static final int PARALLEL_FROM = 8;

  private final Path root;

  BlobFiles(Path root) {
    this.root = root;
  }

  static String digest(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  Path path(String digest) {
    return root.resolve(digest.substring(0, 2)).resolve(digest);
  }

  /**
   * Makes every content durable under its digest before the journal names it: a crash after this
   * leaves at worst unreferenced files, never a journal entry without its content. (Raw restore is
   * the one writer that names contents on purpose before they are here: see {@link #restore}.)
   */
  void store(Map<String, byte[]> byDigest) throws IOException {
    List<Map.Entry<String, byte[]>> missing = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : byDigest.entrySet()) {
      if (!Files.exists(path(e.getKey()))) {
        missing.add(e);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Set<Path> dirs = new LinkedHashSet<>();
    if (missing.size() < PARALLEL_FROM) {
      for (Map.Entry<String, byte[]> e : missing) {
        dirs.add(write(e.getKey(), e.getValue()));
      }
    } else {
      dirs.addAll(writeInParallel(missing));
    }
    dirs.add(root); // a new subdirectory's entry lives in the root
    if (SYNC_DIRECTORIES) {
      for (Path dir : dirs) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
          ch.force(true);
        }
      }
    }
  }

  /**
   * Each file needs its own sync, and syncs issued together are committed together by the file
   * system: a bulk add of thousands of messages goes several times faster this way.
   */
  private Set<Path> writeInParallel(List<Map.Entry<String, byte[]>> missing) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS, r -> {
      Thread t = new Thread(r, "blob-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Path>> written = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : missing) {
        written.add(pool.submit(() -> write(e.getKey(), e.getValue())));
      }
      Set<Path> dirs = new LinkedHashSet<>();
      for (Future<Path> f : written) {
        dirs.add(f.get());
      }
      return dirs;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing item contents under " + root);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes one content via a synced temporary file and an atomic rename; returns its directory. */
  private Path write(String digest, byte[] content) throws IOException {
    Path target = path(digest);
    Path dir = Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(dir, digest.substring(0, 8) + "-", ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      // Data and size only: the rename is made durable by syncing the directory afterwards.
      ch.force(false);
    } catch (IOException e) {
      // A half-written temporary file would hold on to the space that a full disk lacks.
      Files.deleteIfExists(tmp);
      throw WriteFailure.naming(target, e);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return dir;
  }

  /**
   * Writes contents back under their digests, replacing damaged files, durably (each file, then
   * each directory once), then reads each back and checks it: what the caller is told is restored
   * is on disk as its digest names it.
   */
  void restore(Map<String, byte[]> byDigest) throws IOException {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String digest : byDigest.keySet()) {
      if (!Files.isDirectory(path(digest).getParent())) {
        dirs.add(root);
      }
    }
    if (byDigest.size() < PARALLEL_FROM) {
      for (Map.Entry<String, byte[]> e : byDigest.entrySet()) {
        dirs.add(write(e.getKey(), e.getValue()));
      }
    } else {
      dirs.addAll(writeInParallel(new ArrayList<>(byDigest.entrySet())));
    }
    if (SYNC_DIRECTORIES) {
      for (Path d : dirs) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
          ch.force(true);
        }
      }
    }
    for (Map.Entry<String, byte[]> e : byDigest.entrySet()) {
      if (!intact(e.getKey(), e.getValue().length)) {
        throw new IOException("content file " + path(e.getKey()) + " does not read back as the content just written");
      }
    }
  }

  /** Whether the content file of {@code digest} is there and is exactly that content. */
  boolean intact(String digest, long size) throws IOException {
    Path file = path(digest);
    try {
      if (Files.size(file) != size) {
        return false;
      }
      return digest(Files.readAllBytes(file)).equals(digest);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** The content with {@code digest}, which must be {@code size} bytes long. */
  byte[] read(String digest, long size) {
    Path file = path(digest);
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw ErrorCode.IO_ERROR.exception(
          "content file " + file + " is missing: if a raw restore rebuilt this store, its contents come back"
              + " with 'backup doRestoreBlobs 1 dryrun false'; otherwise the store directory was damaged,"
              + " restore the item from a backup");
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot read content file " + file + ": " + e.getMessage());
    }
    if (content.length != size) {
      throw ErrorCode.IO_ERROR.exception(
          "content file " + file + " has " + content.length + " bytes, expected " + size
              + "; the store directory was damaged, restore the item from a backup");
    }
    return content;
  }
}
