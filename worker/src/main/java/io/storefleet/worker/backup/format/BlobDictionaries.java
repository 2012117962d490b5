package io.storefleet.worker.backup.format;

import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The zstd dictionaries of a backup path, {@code blobs/dictionaries/<sha256>.dict}: raw zstd
 * dictionaries, named by the SHA-256 of their bytes, which every read checks. A pack entry's zstd
 * frame names the dictionary it needs by the id in its header; a dictionary is written (and
 * synced) before the first blob compressed with it is put, and is never removed.
 */
final class BlobDictionaries {
  private static final System.Logger LOG = System.getLogger(BlobDictionaries.class.getName());
  static final String SUFFIX = ".dict";

  private final Path dir;
  private final Map<Long, ZstdDictDecompress> byId = new HashMap<>();
  /** Why a dictionary some frame may name cannot be used, by its file name. */
  private final Map<String, String> unusable = new HashMap<>();
  private volatile ZstdDictCompress current;
  /** The file content of {@link #current}: what an export destination adopts. */
  private volatile byte[] currentBytes;

  private BlobDictionaries(Path dir) {
    this.dir = dir;
  }

  static BlobDictionaries open(Path dir) throws IOException {
    BlobDictionaries d = new BlobDictionaries(dir);
    if (!Files.isDirectory(dir)) {
      return d;
    }
    List<Path> files;
    try (var s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      byte[] bytes = Files.readAllBytes(f);
      String want = name.substring(0, name.length() - SUFFIX.length());
      long id = BlobCodec.idOfDictionary(bytes);
      if (!BlobCodec.sha256(bytes).equals(want) || id == 0) {
        // Its blobs cannot be read until it is restored; new blobs are compressed without it.
        String why = "dictionary " + dir.resolve(name) + " is damaged (its content does not match its name)";
        d.unusable.put(name, why);
        LOG.log(System.Logger.Level.WARNING, why + "; blobs compressed with it cannot be read until it is restored");
        continue;
      }
      d.add(id, bytes);
    }
    return d;
  }

  /** Dictionaries held in memory only (a check of an off-site copy); {@code where} names them in errors. */
  static BlobDictionaries inMemory(Path where, List<byte[]> dicts) {
    BlobDictionaries d = new BlobDictionaries(where);
    for (byte[] b : dicts) {
      long id = BlobCodec.idOfDictionary(b);
      if (id != 0) {
        d.add(id, b);
      }
    }
    return d;
  }

  private synchronized void add(long id, byte[] bytes) {
    byId.put(id, new ZstdDictDecompress(bytes));
    if (current == null) {
      current = new ZstdDictCompress(bytes, BlobCodec.LEVEL);
      currentBytes = bytes;
    }
  }

  /** The dictionary new blobs are compressed with, or null. */
  ZstdDictCompress current() {
    return current;
  }

  /** The raw dictionary new blobs are compressed with (a copy), or null. */
  byte[] currentBytes() {
    byte[] b = currentBytes;
    return b == null ? null : b.clone();
  }

  boolean any() {
    return current != null;
  }

  /**
   * Makes {@code dict} the dictionary for new blobs: written atomically and synced (with the new
   * folder's entry) before any blob can be compressed with it.
   */
  synchronized void install(byte[] dict) throws IOException {
    long id = BlobCodec.idOfDictionary(dict);
    if (id == 0 || byId.containsKey(id)) {
      throw new IOException("dictionary id " + id + " is not usable in this backup path");
    }
    boolean newDir = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (newDir) {
      AppendLog.syncDirectory(dir.getParent());
    }
    BackupPath.writeAtomically(dir.resolve(BlobCodec.sha256(dict) + SUFFIX), dict);
    byId.put(id, new ZstdDictDecompress(dict));
    current = new ZstdDictCompress(dict, BlobCodec.LEVEL);
    currentBytes = dict.clone();
  }

  /** The dictionary a frame names. */
  synchronized ZstdDictDecompress forId(long id) throws DictionaryUnavailableException {
    ZstdDictDecompress d = byId.get(id);
    if (d == null) {
      throw new DictionaryUnavailableException(id, unusable.isEmpty()
          ? "no dictionary in " + dir + " has id " + id
          : "no usable dictionary in " + dir + " has id " + id + "; " + String.join("; ", unusable.values()));
    }
    return d;
  }

  /** Dictionaries found damaged when the path was opened. */
  synchronized Map<String, String> unusable() {
    return Map.copyOf(unusable);
  }
}
