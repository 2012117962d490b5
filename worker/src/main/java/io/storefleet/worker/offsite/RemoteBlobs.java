package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.CorruptBlobException;
import io.storefleet.worker.backup.format.FetchedEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blobs read straight from an off-site copy (docs/backup-format.md, "Reading blobs from the
 * bucket"), for {@code blobs_archive}: opening reads one snapshot, its dictionaries and its
 * indexes (each authenticated); each blob is then one ranged GET of its pack entry, decrypted in
 * place and checked against the digest its authenticated index names, as a coherency check does.
 *
 * <p>The metadata read beside it may be of an older snapshot than the one opened, so a blob the
 * opened snapshot does not name is looked for, once per reader, in the indexes of every snapshot
 * in the bucket (a prune keeps older snapshots' packs that the newest no longer names). A pack
 * found missing is read again from the bucket's snapshots as they are then: a prune that ran since
 * opening deleted it only if no snapshot it kept names it. Thread-safe: a restore reads with
 * several threads.
 */
final class RemoteBlobs implements BlobReader {
  /** Where one blob's entry is. */
  private record Where(String pack, long offset, int length, long rawSize) {}

  /**
   * What the reader knows: where each blob is, the dictionaries to decode it with, and whether
   * that is every snapshot's indexes (not only the opened one's).
   */
  private record View(Map<String, Where> where, FetchedEntry entries, boolean everySnapshot) {}

  private final ObjectStore store;
  private final RemoteRepository repo;
  private final long snapshot;
  /** The opened snapshot's dictionaries (of any format version), which every later view keeps. */
  private final List<byte[]> openedDictionaries;
  private volatile View view;
  /** Packs found missing although a snapshot in the bucket names them: the copy lost them. */
  private final Set<String> lost = ConcurrentHashMap.newKeySet();
  /** Each pack's first bytes (magic and nonce), read once. */
  private final Map<String, byte[]> prefixes = new ConcurrentHashMap<>();

  private RemoteBlobs(ObjectStore store, RemoteRepository repo, Manifest m, List<byte[]> dictionaries,
      Map<String, Where> where) {
    this.store = store;
    this.repo = repo;
    this.snapshot = m.number();
    this.openedDictionaries = dictionaries;
    this.view = new View(where, new FetchedEntry(dictionaries), false);
  }

  /**
   * Opens the blobs of {@code repo}'s snapshot {@code number} (null: the newest); the store is
   * closed with this reader.
   */
  static RemoteBlobs open(ObjectStore store, RemoteRepository repo, Long number) throws IOException {
    try {
      CopyReader read = new CopyReader(repo);
      Manifest m = read.select(number);
      try {
        return open(store, read, m);
      } catch (StorefleetException e) {
        if (number != null || e.code() != ErrorCode.BACKUP_DAMAGED || stillListed(read, m, e)) {
          throw e;
        }
        // The newest snapshot was deleted while it was read: a prune replaced it; read its own.
        return open(store, read, read.select(null));
      }
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static RemoteBlobs open(ObjectStore store, CopyReader read, Manifest m) throws IOException {
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
    add(where, read.indexes(m));
    return new RemoteBlobs(store, read.repository(), m, dicts, where);
  }

  /** {@link CopyReader#listed}; true (the failure stands) when listing fails too, suppressed in {@code failure}. */
  private static boolean stillListed(CopyReader read, Manifest m, StorefleetException failure) {
    try {
      return read.listed(m);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      return true;
    }
  }

  private static void add(Map<String, Where> where, List<PackIndex> indexes) {
    for (PackIndex idx : indexes) {
      for (PackIndex.Blob b : idx.entries()) {
        where.putIfAbsent(b.digest(), new Where(idx.pack(), b.offset(), b.length(), b.rawSize()));
      }
    }
  }

  @Override
  public boolean has(String digest) {
    try {
      return locate(digest).where().containsKey(digest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public byte[] read(String digest) throws IOException {
    View v = locate(digest);
    Where w = v.where().get(digest);
    if (w == null) {
      throw FetchedEntry.missing(digest, "in no snapshot of the off-site copy at " + repo.location());
    }
    if (lost.contains(w.pack())) {
      throw lost(digest, w.pack());
    }
    Optional<byte[]> got = read(digest, w, v);
    if (got.isPresent()) {
      return got.get();
    }
    // Its pack is gone: deleted by a prune since this reader read the indexes (a prune deletes
    // only the packs no snapshot it keeps names), or lost by the bucket. The snapshots as they are
    // now tell which.
    View now = reread(v);
    Where again = now.where().get(digest);
    if (again == null) {
      throw FetchedEntry.missing(digest, "pruned from the off-site copy at " + repo.location() + " while it was read"
          + " (in no snapshot left)");
    }
    Optional<byte[]> retried = lost.contains(again.pack()) ? Optional.empty() : read(digest, again, now);
    if (retried.isEmpty()) {
      lost.add(again.pack()); // its other blobs fail at once, without reading the snapshots again
      throw lost(digest, again.pack());
    }
    return retried.get();
  }

  /** Damage of this blob alone (the restore goes on with the others): its pack, which a snapshot names, is gone. */
  private CorruptBlobException lost(String digest, String pack) {
    return FetchedEntry.damaged(digest, "its off-site pack " + pack + ", which a snapshot names, is missing from "
        + store.describe() + "; the copy is damaged");
  }

  /** A view that names {@code digest} if any snapshot does, reading every snapshot's indexes once if needed. */
  private View locate(String digest) throws IOException {
    View v = view;
    if (v.where().containsKey(digest) || v.everySnapshot()) {
      return v;
    }
    return reread(v);
  }

  /**
   * The indexes of every snapshot in the bucket now, the newer first, unless another thread read
   * them since {@code seen}. Objects the listing lacks are skipped (a prune under way deletes
   * snapshots before what they name).
   */
  private synchronized View reread(View seen) throws IOException {
    if (view != seen) {
      return view;
    }
    CopyReader read = new CopyReader(repo);
    List<CopyReader.Snapshot> all = read.snapshots();
    Set<String> listed = new HashSet<>(store.list(repo.folder(RemoteRepository.Kind.MPACK)));
    listed.addAll(store.list(repo.folder(RemoteRepository.Kind.INDEX)));
    SnapshotIndexes indexes = new SnapshotIndexes(repo, listed, OffsiteUpload.Steps.NONE);
    all.forEach(s -> indexes.want(s.manifest()));
    indexes.read();
    checkNamedListed(read, all, listed);
    Map<String, Where> where = new HashMap<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      add(where, indexes.of(all.get(i).manifest()));
    }
    // Every dictionary object (none is ever deleted): older snapshots' blobs may need one the
    // opened snapshot does not name (a backup path replaced since).
    List<byte[]> dicts = new ArrayList<>(openedDictionaries);
    for (String key : store.list(repo.folder(RemoteRepository.Kind.DICT))) {
      dicts.add(read.dictionary(key));
    }
    view = new View(where, new FetchedEntry(dicts), true);
    return view;
  }

  /**
   * BACKUP_DAMAGED when an object holding pack indexes that a snapshot names is not listed while
   * that snapshot still is (a prune deletes a snapshot before what it names, so then the bucket
   * lost it): where its blobs are is unknown, and they must not pass for pruned ones.
   */
  private void checkNamedListed(CopyReader read, List<CopyReader.Snapshot> all, Set<String> listed)
      throws IOException {
    Map<String, String> unlisted = new HashMap<>(); // snapshot key -> an object it names that is gone
    for (CopyReader.Snapshot s : all) {
      Manifest m = s.manifest();
      List<String> named = new ArrayList<>(m.indexes());
      m.packIndexes().stream().filter(r -> r.object() >= 0 && r.object() < m.objects().size())
          .forEach(r -> named.add(m.objects().get(r.object())));
      named.stream().filter(k -> !listed.contains(k)).findFirst().ifPresent(k -> unlisted.put(s.key(), k));
    }
    if (unlisted.isEmpty()) {
      return;
    }
    Set<String> still = new HashSet<>(read.snapshotKeys());
    for (var e : unlisted.entrySet()) {
      if (still.contains(e.getKey())) {
        throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + e.getValue() + ", which snapshot " + e.getKey()
            + " names, is missing from " + store.describe() + "; run doCoherencyCheck remote true", repo.serverId());
      }
    }
  }

  /** The raw content of {@code digest} at {@code w}; empty when its pack is missing. */
  private Optional<byte[]> read(String digest, Where w, View v) throws IOException {
    byte[] prefix = prefixes.get(w.pack());
    if (prefix == null) {
      Optional<byte[]> p = store.getRange(w.pack(), 0, Sealer.PREFIX);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      prefix = p.get();
      prefixes.put(w.pack(), prefix);
    }
    long block = w.offset() / 16;
    int skip = (int) (w.offset() % 16);
    int length = FetchedEntry.stored(w.length());
    Optional<byte[]> ciphertext = store.getRange(w.pack(), Sealer.PREFIX + block * 16, skip + length);
    if (ciphertext.isEmpty()) {
      return Optional.empty();
    }
    byte[] plain = repo.openRange(w.pack(), prefix, block, ciphertext.get());
    byte[] stored = java.util.Arrays.copyOfRange(plain, Math.min(skip, plain.length), plain.length);
    return Optional.of(v.entries().decode(digest, "off-site pack " + w.pack() + " at " + w.offset(), w.length(),
        w.rawSize(), stored));
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
