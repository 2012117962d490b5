package io.storefleet.worker.offsite;

import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.FetchedEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blobs read straight from an off-site copy (docs/backup-format.md, "Reading blobs from the
 * bucket"), for {@code blobs_archive}: opening reads one snapshot, its dictionaries and its
 * indexes (each authenticated); each blob is then one ranged GET of its pack entry, decrypted in
 * place and checked against the digest its authenticated index names, as a coherency check does.
 * Thread-safe: a restore reads with several threads.
 */
final class RemoteBlobs implements BlobReader {
  /** Where one blob's entry is. */
  private record Where(String pack, long offset, int length, long rawSize) {}

  private final ObjectStore store;
  private final RemoteRepository repo;
  private final long snapshot;
  private final Map<String, Where> where;
  private final FetchedEntry entries;
  /** Each pack's first bytes (magic and nonce), read once. */
  private final Map<String, byte[]> prefixes = new ConcurrentHashMap<>();

  private RemoteBlobs(ObjectStore store, RemoteRepository repo, long snapshot, Map<String, Where> where,
      FetchedEntry entries) {
    this.store = store;
    this.repo = repo;
    this.snapshot = snapshot;
    this.where = where;
    this.entries = entries;
  }

  /**
   * Opens the blobs of {@code repo}'s snapshot {@code number} (null: the newest); the store is
   * closed with this reader.
   */
  static RemoteBlobs open(ObjectStore store, RemoteRepository repo, Long number) throws IOException {
    try {
      CopyReader read = new CopyReader(repo);
      Manifest m = read.select(number);
      List<byte[]> dicts = new ArrayList<>();
      for (String key : m.dictionaries()) {
        dicts.add(read.dictionary(key));
      }
      for (Manifest.File f : m.files()) {
        if (f.path().endsWith(".dict")) { // snapshots of older uploads list dictionaries among the files
          dicts.add(read.file(m, f.path()));
        }
      }
      Map<String, Where> where = new HashMap<>();
      for (PackIndex idx : read.indexes(m)) {
        for (PackIndex.Blob b : idx.entries()) {
          where.putIfAbsent(b.digest(), new Where(idx.pack(), b.offset(), b.length(), b.rawSize()));
        }
      }
      return new RemoteBlobs(store, repo, m.number(), where, new FetchedEntry(dicts));
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public boolean has(String digest) {
    return where.containsKey(digest);
  }

  @Override
  public byte[] read(String digest) throws IOException {
    Where w = where.get(digest);
    if (w == null) {
      throw FetchedEntry.missing(digest, "not in snapshot " + snapshot + " of the off-site copy at "
          + repo.location());
    }
    byte[] prefix = prefixes.get(w.pack());
    if (prefix == null) {
      prefix = range(w.pack(), 0, Sealer.PREFIX);
      prefixes.put(w.pack(), prefix);
    }
    long block = w.offset() / 16;
    int skip = (int) (w.offset() % 16);
    int length = FetchedEntry.stored(w.length());
    byte[] ciphertext = range(w.pack(), Sealer.PREFIX + block * 16, skip + length);
    byte[] plain = repo.openRange(w.pack(), prefix, block, ciphertext);
    byte[] stored = java.util.Arrays.copyOfRange(plain, Math.min(skip, plain.length), plain.length);
    return entries.decode(digest, "off-site pack " + w.pack() + " at " + w.offset(), w.length(), w.rawSize(), stored);
  }

  private byte[] range(String key, long from, int length) throws IOException {
    return store.getRange(key, from, length).orElseThrow(() -> io.storefleet.protocol.error.ErrorCode.BACKUP_DAMAGED
        .exception("off-site object " + key + " is missing from " + store.describe(), repo.serverId()));
  }

  @Override
  public String describe() {
    return "snapshot " + snapshot + " of the off-site copy at " + repo.location();
  }

  @Override
  public void close() {
    store.close();
  }
}
