package io.storefleet.worker.offsite;

import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.FetchedPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads an off-site copy back: its newest snapshot, every metadata file it names and every pack
 * its indexes name, each object authenticated (AES-GCM) and each file and blob checked against its
 * digest, into a {@link FetchedPath} (a fetch writes a backup path; a check only verifies).
 */
final class OffsiteRead {
  /**
   * What was read.
   *
   * @param snapshot the number of the snapshot read
   * @param snapshotAt its time
   * @param files metadata files
   * @param packs packs
   * @param blobs distinct blobs
   * @param bytes sealed bytes read
   */
  record Report(long snapshot, String snapshotAt, long files, long packs, long blobs, long bytes) {}

  /** Metadata objects read at once (small: round trips take the time). */
  static final int PARALLEL_GETS = 8;
  /** Packs read at once (each up to about 16 MiB). */
  static final int PARALLEL_PACK_GETS = 3;
  private final RemoteRepository repo;
  private long bytes;

  OffsiteRead(RemoteRepository repo) {
    this.repo = repo;
  }

  /** A snapshot and its object. */
  record Snapshot(String key, Manifest manifest) {}

  /** Oldest first: by {@code number}, then time, then object name. */
  static final Comparator<Snapshot> ORDER = Comparator.comparingLong((Snapshot s) -> s.manifest().number())
      .thenComparing(s -> s.manifest().instant()).thenComparing(Snapshot::key);

  /** Every snapshot, oldest first (see {@link #ORDER}). */
  List<Snapshot> snapshots() throws IOException {
    List<Snapshot> all = new ArrayList<>();
    for (String key : repo.store().list(repo.folder(RemoteRepository.Kind.SNAPSHOT))) {
      all.add(new Snapshot(key, snapshot(repo, key)));
    }
    all.sort(ORDER);
    return all;
  }

  /** The snapshot object {@code key}, authenticated, decoded and checked to be {@code repo}'s server's. */
  static Manifest snapshot(RemoteRepository repo, String key) throws IOException {
    Manifest m = Manifest.decode(repo.read(key), key);
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
          + "; its snapshots are 1 to " + all.get(all.size() - 1).manifest().number()
          + " (doCoherencyCheck remote true lists them)", repo.serverId());
    }
    return found;
  }

  Report into(FetchedPath dest, Long snapshot, OffsiteUpload.Steps steps) throws IOException {
    Manifest m = select(snapshot);
    long total = m.dictionaries().size() + m.files().size() + m.indexes().size();
    long done = 0;
    // Dictionaries first: the packs' frames name them.
    for (String key : m.dictionaries()) {
      steps.checkStopped();
      byte[] dict = sealed(key);
      String sha = BlobCodec.sha256(dict);
      if (!key.equals(repo.key(RemoteRepository.Kind.DICT, sha))) {
        throw ErrorCode.BACKUP_DAMAGED.exception("off-site dictionary " + key + " does not hold the dictionary"
            + " its name stands for; it was moved there", repo.serverId());
      }
      dest.writeFile("blobs/dictionaries/" + sha + ".dict", dict);
      steps.progress(++done, total, bytes());
    }
    // Snapshots of older uploads list dictionaries among the files.
    List<Manifest.File> files = new ArrayList<>(m.files());
    files.sort((a, b) -> Boolean.compare(!a.path().endsWith(".dict"), !b.path().endsWith(".dict")));
    long[] progress = {done};
    try (IoPipeline<Fetched> gets = new IoPipeline<>(PARALLEL_GETS, got -> {
      dest.writeFile(got.file().path(), got.plain());
      steps.progress(++progress[0], total, bytes());
    })) {
      for (Manifest.File f : files) {
        steps.checkStopped();
        gets.submit(() -> new Fetched(f, checked(f)));
      }
      gets.drain();
    }
    long[] packs = {0};
    // Packs are large: fewer at once keeps memory to a few packs.
    try (IoPipeline<FetchedPack> gets = new IoPipeline<>(PARALLEL_PACK_GETS, got -> {
      dest.writePack(got.pack(), got.index().entries().stream()
          .map(e -> new FetchedPath.Entry(e.digest(), e.offset(), e.length(), e.rawSize())).toList());
      packs[0]++;
      steps.progress(++progress[0], total, bytes());
    })) {
      for (String indexKey : m.indexes()) {
        steps.checkStopped();
        gets.submit(() -> {
          PackIndex idx = PackIndex.decode(sealed(indexKey), indexKey);
          if (!indexKey.equals(repo.key(RemoteRepository.Kind.INDEX, idx.pack()))) {
            throw ErrorCode.BACKUP_DAMAGED.exception("off-site index " + indexKey + " names pack " + idx.pack()
                + ", which is not its pack", repo.serverId());
          }
          return new FetchedPack(idx, sealed(idx.pack()));
        });
      }
      gets.drain();
    }
    dest.finish();
    return new Report(m.number(), m.at(), m.files().size(), packs[0], dest.blobs(), bytes());
  }

  /** A metadata file's content, read and checked against the SHA-256 and length its snapshot names. */
  private byte[] checked(Manifest.File f) throws IOException {
    byte[] plain = decompress(f);
    if (plain.length != f.length() || !BlobCodec.sha256(plain).equals(f.sha256())) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + f.object() + " (" + f.path()
          + ") does not hold the content its snapshot names", repo.serverId());
    }
    return plain;
  }

  private record Fetched(Manifest.File file, byte[] plain) {}

  private record FetchedPack(PackIndex index, byte[] pack) {}

  private synchronized long bytes() {
    return bytes;
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
