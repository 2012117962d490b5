package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Item contents stored by SHA-256 under {@code blobs/<first 2 hex>/<hex>}: identical content is
 * stored once, and a file, once renamed into place, never changes.
 */
final class BlobFiles {
  // Windows cannot open a directory as a channel; there the rename is as durable as NTFS makes it.
  private static final boolean SYNC_DIRECTORIES =
      !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

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
   * leaves at worst unreferenced files, never a journal entry without its content.
   */
  void store(Map<String, byte[]> byDigest) throws IOException {
    Set<Path> touchedDirs = new LinkedHashSet<>();
    for (Map.Entry<String, byte[]> e : byDigest.entrySet()) {
      Path target = path(e.getKey());
      if (Files.exists(target)) {
        continue;
      }
      Path dir = target.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        touchedDirs.add(root);
      }
      Path tmp = Files.createTempFile(dir, e.getKey().substring(0, 8) + "-", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(e.getValue());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        // Data and size only: the rename is made durable by syncing the directory below.
        ch.force(false);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      touchedDirs.add(dir);
    }
    if (SYNC_DIRECTORIES) {
      for (Path dir : touchedDirs) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
          ch.force(true);
        }
      }
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
          "content file " + file + " is missing; the store directory was damaged, restore the item from a backup");
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
