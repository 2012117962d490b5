package io.storefleet.worker.offsite;

import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an off-site copy of either format version: its snapshots, the metadata files and pack
 * indexes a snapshot names (version 2: ranges of metadata packs; version 1: an object per file
 * and per index), packs and dictionaries. Every object is authenticated on reading, every file
 * checked against the SHA-256 and length its snapshot names. Every reader of the copy (fetch,
 * check, direct reads) goes through here, so the layout is known in one place.
 */
final class CopyReader {
  /** Small objects (version-1 metadata files and indexes) read at once: round trips take the time. */
  static final int PARALLEL_GETS = 8;
  /** Large objects (packs and metadata packs, each up to about 16 MiB) read at once. */
  static final int PARALLEL_PACK_GETS = 3;

  /** Where a snapshot's metadata goes, on the reading thread. */
  interface MetadataSink {
    /** A metadata file, checked against its snapshot. */
    void file(Manifest.File file, byte[] content) throws IOException;

    /** A pack index the snapshot names. */
    void index(PackIndex index) throws IOException;

    /** One object read (for progress). */
    default void objectRead() throws IOException {}
  }

  /** A snapshot and its object. */
  record Snapshot(String key, Manifest manifest) {}

  /** Oldest first: by {@code number}, then time, then object name. */
  static final Comparator<Snapshot> ORDER = Comparator.comparingLong((Snapshot s) -> s.manifest().number())
      .thenComparing(s -> s.manifest().instant()).thenComparing(Snapshot::key);

  private final RemoteRepository repo;
  private long bytes;

  CopyReader(RemoteRepository repo) {
    this.repo = repo;
  }

  RemoteRepository repository() {
    return repo;
  }

  /** Sealed bytes read so far. */
  synchronized long bytes() {
    return bytes;
  }

  /**
   * Every snapshot, oldest first (see {@link #ORDER}). A listed snapshot that is gone when it is
   * read was deleted since the listing by a prune, which wrote its own snapshot first: the
   * snapshots are listed again (up to {@link #LISTINGS} times), so that one is seen.
   */
  List<Snapshot> snapshots() throws IOException {
    for (int listing = 1; ; listing++) {
      List<Snapshot> all = new ArrayList<>();
      boolean gone = false;
      for (String key : repo.store().list(repo.folder(RemoteRepository.Kind.SNAPSHOT))) {
        java.util.Optional<byte[]> plain = repo.readIfPresent(key);
        if (plain.isEmpty()) {
          gone = true;
        } else {
          all.add(new Snapshot(key, snapshot(repo, key, plain.get())));
        }
      }
      if (!gone || listing == LISTINGS) {
        all.sort(ORDER);
        return all;
      }
    }
  }

  /**
   * Whether snapshot {@code m} (read earlier) is still in the bucket: listed and read again now.
   * A prune deletes snapshots before what they name, so an object {@code m} names found missing
   * while {@code m} is gone is no damage.
   */
  boolean listed(Manifest m) throws IOException {
    return snapshots().stream().anyMatch(s -> s.manifest().number() == m.number()
        && s.manifest().instant().equals(m.instant()));
  }

  /** The keys of the snapshot objects listed now. */
  List<String> snapshotKeys() throws IOException {
    return repo.store().list(repo.folder(RemoteRepository.Kind.SNAPSHOT));
  }

  /** Listings of the snapshots taken when some vanish while they are read (a prune deleting them). */
  static final int LISTINGS = 3;

  /** The snapshot object {@code key}, authenticated, decoded and checked to be {@code repo}'s server's. */
  static Manifest snapshot(RemoteRepository repo, String key) throws IOException {
    return snapshot(repo, key, repo.read(key));
  }

  private static Manifest snapshot(RemoteRepository repo, String key, byte[] plain) {
    Manifest m = Manifest.decode(plain, key);
    if (!repo.serverId().equals(m.server())) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site snapshot " + key + " belongs to server " + m.server()
          + ", not " + repo.serverId() + "; it was moved there", repo.serverId());
    }
    return m;
  }

  /**
   * The snapshot numbered {@code number}, or the newest when it is null; NOT_FOUND when the copy
   * has none yet or none of that number.
   */
  Manifest select(Long number) throws IOException {
    List<Snapshot> all = snapshots();
    if (all.isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception("the off-site copy at " + repo.location() + " has no snapshot yet;"
          + " its first upload did not finish (run doSmartScan remote_metadata_upload true on the server)",
          repo.serverId());
    }
    if (number == null) {
      return all.get(all.size() - 1).manifest();
    }
    Manifest found = null;
    for (Snapshot s : all) {
      if (s.manifest().number() == number) {
        found = s.manifest(); // the latest of that number, as for the newest
      }
    }
    if (found == null) {
      throw ErrorCode.NOT_FOUND.exception("the off-site copy at " + repo.location() + " has no snapshot " + number
          + "; its snapshots are " + all.get(0).manifest().number() + " to "
          + all.get(all.size() - 1).manifest().number()
          + " (doCoherencyCheck remote true lists them)", repo.serverId());
    }
    return found;
  }

  /** A dictionary object's bytes, checked to be the dictionary its name stands for. */
  byte[] dictionary(String key) throws IOException {
    byte[] dict = sealed(key);
    if (!key.equals(repo.key(RemoteRepository.Kind.DICT, BlobCodec.sha256(dict)))) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site dictionary " + key + " does not hold the dictionary"
          + " its name stands for; it was moved there", repo.serverId());
    }
    return dict;
  }

  /** A pack's bytes (pack entries back to back), authenticated; its index says where each blob is. */
  byte[] pack(String key) throws IOException {
    return sealed(key);
  }

  /** Every pack index {@code m} names. */
  List<PackIndex> indexes(Manifest m) throws IOException {
    List<PackIndex> out = new ArrayList<>();
    read(m, List.of(), new MetadataSink() {
      @Override
      public void file(Manifest.File file, byte[] content) {}

      @Override
      public void index(PackIndex index) {
        out.add(index);
      }
    }, true);
    return out;
  }

  /** The content of the file {@code path} in {@code m}; NOT_FOUND when it has none of that path. */
  byte[] file(Manifest m, String path) throws IOException {
    Manifest.File f = m.files().stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow(() ->
        ErrorCode.NOT_FOUND.exception("off-site snapshot " + m.number() + " has no file " + path, repo.serverId()));
    byte[][] out = new byte[1][];
    read(m, List.of(f), new MetadataSink() {
      @Override
      public void file(Manifest.File file, byte[] content) {
        out[0] = content;
      }

      @Override
      public void index(PackIndex index) {}
    }, false);
    return out[0];
  }

  /**
   * Every metadata file and every pack index of {@code m}, each object read once (a metadata
   * pack holds parts of many files and indexes). Files are handed over as they are complete, not
   * in the snapshot's order.
   */
  void metadata(Manifest m, MetadataSink sink) throws IOException {
    read(m, m.files(), sink, true);
  }

  private void read(Manifest m, List<Manifest.File> files, MetadataSink sink, boolean indexes) throws IOException {
    Map<Integer, List<Use>> byObject = new LinkedHashMap<>();
    List<Manifest.File> whole = new ArrayList<>();
    for (Manifest.File f : files) {
      if (f.parts() == null) {
        whole.add(f);
        continue;
      }
      Assembly a = new Assembly(f, sink);
      if (f.parts().isEmpty()) {
        a.done();
      }
      for (int i = 0; i < f.parts().size(); i++) {
        MetadataPack.Ref r = f.parts().get(i);
        String key = object(m, r.object());
        int part = i;
        byObject.computeIfAbsent(r.object(), k -> new ArrayList<>())
            .add(pack -> a.add(part, pack.slice(r.offset(), r.length(), key)));
      }
    }
    if (indexes) {
      for (MetadataPack.Ref r : m.packIndexes()) {
        String key = object(m, r.object());
        byObject.computeIfAbsent(r.object(), k -> new ArrayList<>())
            .add(pack -> sink.index(PackIndex.decode(pack.slice(r.offset(), r.length(), key), key)));
      }
    }
    try (IoPipeline<Map.Entry<Integer, MetadataPack>> gets = new IoPipeline<>(PARALLEL_PACK_GETS, got -> {
      for (Use use : byObject.get(got.getKey())) {
        use.read(got.getValue());
      }
      sink.objectRead();
    })) {
      for (int object : byObject.keySet()) {
        String key = object(m, object);
        gets.submit(() -> Map.entry(object, MetadataPack.decode(sealed(key), key)));
      }
      gets.drain();
    }
    readVersion1(m, whole, sink, indexes);
  }

  /** What is taken from one metadata pack once it is read, on the reading thread. */
  private interface Use {
    void read(MetadataPack pack) throws IOException;
  }

  private String object(Manifest m, int object) {
    if (object < 0 || object >= m.objects().size()) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site snapshot " + m.number() + " names metadata pack " + object
          + " of " + m.objects().size() + "; it is damaged", repo.serverId());
    }
    return m.objects().get(object);
  }

  /** A version-2 file: its parts as they are read, checked and handed over once all are there. */
  private final class Assembly {
    private final Manifest.File file;
    private final MetadataSink sink;
    private final byte[][] parts;
    private int missing;

    Assembly(Manifest.File file, MetadataSink sink) {
      this.file = file;
      this.sink = sink;
      this.parts = new byte[file.parts().size()][];
      this.missing = parts.length;
    }

    void add(int part, byte[] bytes) throws IOException {
      parts[part] = bytes;
      if (--missing == 0) {
        done();
      }
    }

    void done() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(file.length(), Integer.MAX_VALUE - 8));
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      sink.file(file, checked(file, out.toByteArray(), "the metadata packs of its parts"));
    }
  }

  private void readVersion1(Manifest m, List<Manifest.File> files, MetadataSink sink, boolean indexes)
      throws IOException {
    try (IoPipeline<Object> gets = new IoPipeline<>(PARALLEL_GETS, got -> {
      if (got instanceof PackIndex idx) {
        sink.index(idx);
      } else {
        Map.Entry<?, ?> e = (Map.Entry<?, ?>) got;
        sink.file((Manifest.File) e.getKey(), (byte[]) e.getValue());
      }
      sink.objectRead();
    })) {
      for (Manifest.File f : files) {
        gets.submit(() -> Map.entry(f, checked(f, decompress(f), "object " + f.object())));
      }
      if (indexes) {
        for (String indexKey : m.indexes()) {
          gets.submit(() -> {
            PackIndex idx = PackIndex.decode(sealed(indexKey), indexKey);
            if (!indexKey.equals(repo.key(RemoteRepository.Kind.INDEX, idx.pack()))) {
              throw ErrorCode.BACKUP_DAMAGED.exception("off-site index " + indexKey + " names pack " + idx.pack()
                  + ", which is not its pack", repo.serverId());
            }
            return idx;
          });
        }
      }
      gets.drain();
    }
  }

  /** {@code plain}, when it is the content its snapshot names (SHA-256 and length); else BACKUP_DAMAGED. */
  private byte[] checked(Manifest.File f, byte[] plain, String where) {
    if (plain.length != f.length() || !BlobCodec.sha256(plain).equals(f.sha256())) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site metadata file " + f.path() + " read from " + where
          + " is not the content its snapshot names", repo.serverId());
    }
    return plain;
  }

  private byte[] decompress(Manifest.File f) throws IOException {
    byte[] sealed = sealed(f.object());
    try {
      return Zstd.decompress(sealed, (int) f.length());
    } catch (RuntimeException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + f.object() + " (" + f.path()
          + ") authenticates but does not decompress (" + e.getMessage() + "); it was written by another"
          + " storefleet version", repo.serverId());
    }
  }

  private byte[] sealed(String key) throws IOException {
    byte[] plain = repo.read(key);
    synchronized (this) {
      bytes += plain.length;
    }
    return plain;
  }
}
