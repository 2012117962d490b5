package io.storefleet.worker.offsite;

import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.OffsiteSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One upload of a backup path's cut to its off-site copy (docs/backup-format.md, "The off-site
 * copy"), in the order that keeps the copy restorable whenever it stops: blobs not yet uploaded,
 * in packs (each pack, then its index, then its state record); then metadata files whose content
 * is not there yet (dictionaries as objects of their own); then a snapshot naming them, every
 * index and every dictionary in the bucket; then a read-back of a sample.
 */
final class OffsiteUpload {
  private static final String DICT_SUFFIX = ".dict";
  /** Metadata objects sent at once: they are small, so their round trips, not bytes, take the time. */
  static final int PARALLEL_PUTS = 8;
  /** Where the upload reports and is stopped. */
  interface Steps {
    Steps NONE = new Steps() {};

    default void checkStopped() {}

    default void progress(long done, long total, long bytes) {}
  }

  private final RemoteRepository repo;
  private final RemoteState state;
  private final Bandwidth bandwidth;
  private final long packTarget;
  private final int readBackPercent;
  private final Clock clock;
  private final List<String[]> written = new ArrayList<>();
  private long packs;
  private long blobs;
  private long metadata;
  private long skipped;
  private long bytesSent;

  OffsiteUpload(RemoteRepository repo, RemoteState state, Bandwidth bandwidth, long packTarget, int readBackPercent,
      Clock clock) {
    this.repo = repo;
    this.state = state;
    this.bandwidth = bandwidth;
    this.packTarget = packTarget;
    this.readBackPercent = readBackPercent;
    this.clock = clock;
  }

  /**
   * Uploads the cut {@code src}. When the copy's newest snapshot is of another backup path (a
   * replacement server that scanned an empty path before fetching the lost one's), the upload is
   * refused with CONFLICT before anything is sent, unless {@code takeOver}: a newest snapshot of an
   * empty path would hide the lost server's backup from a fetch.
   */
  UploadReport run(OffsiteSource src, boolean takeOver, Steps steps) throws IOException, InterruptedException {
    String identity = src.pathIdentity();
    List<String> snapshots = repo.store().list(repo.folder(RemoteRepository.Kind.SNAPSHOT));
    Manifest newest = newest(snapshots);
    if (!takeOver && newest != null && newest.path() != null && !newest.path().equals(identity)) {
      throw ErrorCode.CONFLICT.exception("the off-site copy at " + repo.location() + " holds " + newest.describePath()
          + " (snapshot " + newest.number() + " of " + newest.at() + "), not this server's backup path "
          + src.pathRoot() + " created " + identity + "; uploading would make this path the copy's newest. After"
          + " a disaster, fetch the lost path first (doFetchRemoteBackup) and use it as the backup path; to make"
          + " this path the copy's newest anyway, give remote_take_over true (older snapshots stay fetchable"
          + " with doFetchRemoteBackup snapshot N)", repo.serverId());
    }
    List<Map.Entry<String, BlobPacks.Location>> todo = new ArrayList<>();
    for (var e : src.blobs().entrySet()) {
      if (!state.hasBlob(e.getKey())) {
        todo.add(e);
      }
    }
    // In pack order, so that reading them is sequential.
    todo.sort(Comparator.comparing((Map.Entry<String, BlobPacks.Location> e) -> e.getValue().pack())
        .thenComparingLong(e -> e.getValue().offset()));
    long total = todo.size() + src.files().size();
    long done = 0;
    int i = 0;
    while (i < todo.size()) {
      steps.checkStopped();
      ByteArrayOutputStream pack = new ByteArrayOutputStream();
      List<PackIndex.Blob> entries = new ArrayList<>();
      while (i < todo.size() && (entries.isEmpty() || pack.size() < packTarget)) {
        var e = todo.get(i++);
        byte[] entry = src.entry(e.getValue());
        entries.add(new PackIndex.Blob(e.getKey(), pack.size(), e.getValue().length(), e.getValue().rawSize()));
        pack.writeBytes(entry);
      }
      uploadPack(pack.toByteArray(), entries);
      done += entries.size();
      steps.progress(done, total, bytesSent);
    }
    List<Manifest.File> files = new ArrayList<>();
    long[] progress = {done};
    try (IoPipeline<Sent> puts = new IoPipeline<>(PARALLEL_PUTS, sent -> {
      finish(sent);
      state.recordMeta(sent.pending().key());
      steps.progress(++progress[0], total, bytesSent);
    })) {
      for (OffsiteSource.MetaFile f : src.files()) {
        steps.checkStopped();
        byte[] bytes = src.read(f);
        String sha = BlobCodec.sha256(bytes);
        boolean dict = f.relPath().endsWith(DICT_SUFFIX);
        String key = dict ? repo.key(RemoteRepository.Kind.DICT, sha)
            : repo.key(RemoteRepository.Kind.META, f.relPath() + "\n" + sha);
        if (!dict) {
          files.add(new Manifest.File(f.relPath(), key, sha, bytes.length));
        }
        if (state.hasMeta(key)) {
          steps.progress(++progress[0], total, bytesSent);
          continue;
        }
        metadata++;
        Pending p = prepare(key, dict ? bytes : Zstd.compress(bytes, 3));
        if (p == null) {
          state.recordMeta(key);
          steps.progress(++progress[0], total, bytesSent);
        } else {
          puts.submit(() -> new Sent(p, repo.store().putIfAbsent(p.key(), p.sealed())));
        }
      }
      puts.drain();
    }
    long number = snapshots.size() + 1;
    List<String> dictionaries = new ArrayList<>(repo.store().list(repo.folder(RemoteRepository.Kind.DICT)));
    dictionaries.sort(null);
    Manifest m = new Manifest(src.serverId(), number, clock.instant().toString(), files, state.indexes(),
        dictionaries, identity, src.pathRoot());
    byte[] plain = m.encode();
    String snapshot = repo.key(RemoteRepository.Kind.SNAPSHOT, number + "\n" + BlobCodec.sha256(plain));
    put(snapshot, plain);
    state.recordSnapshot(snapshot, m);
    long readBack = readBack();
    return new UploadReport(packs, blobs, metadata, skipped, bytesSent, readBack, snapshot);
  }

  /**
   * The newest of the snapshot objects {@code keys}, or null when there are none. Only those the
   * state has not seen are read (and then remembered): the upload's cost does not grow with the
   * number of snapshots, each of which names every index.
   */
  private Manifest newest(List<String> keys) throws IOException {
    List<OffsiteRead.Snapshot> all = new ArrayList<>();
    for (String key : keys) {
      Manifest head = state.head(key);
      if (head == null) {
        head = OffsiteRead.snapshot(repo, key);
        state.recordSnapshot(key, head);
      }
      all.add(new OffsiteRead.Snapshot(key, head));
    }
    return all.isEmpty() ? null : Collections.max(all, OffsiteRead.ORDER).manifest();
  }

  private void uploadPack(byte[] pack, List<PackIndex.Blob> entries) throws IOException, InterruptedException {
    List<String> digests = entries.stream().map(PackIndex.Blob::digest).toList();
    String packName = repo.key(RemoteRepository.Kind.DATA, String.join("\n", digests));
    put(packName, pack);
    String indexKey = repo.key(RemoteRepository.Kind.INDEX, packName);
    put(indexKey, new PackIndex(packName, entries).encode());
    state.recordPack(indexKey, packName, digests);
    packs++;
    blobs += entries.size();
  }

  /** An object sealed and counted, to be sent. */
  private record Pending(String key, byte[] sealed, String plainSha256) {}

  /** A pending object sent: whether this upload stored it (false: another had since the listing). */
  private record Sent(Pending pending, boolean stored) {}

  /**
   * Stores a sealed object unless a whole one is already there (an upload cut short before its
   * record): the bucket's listing taken when the state was opened says, so no HEAD is sent.
   */
  private void put(String key, byte[] plain) throws IOException, InterruptedException {
    Pending p = prepare(key, plain);
    if (p != null) {
      finish(new Sent(p, repo.store().putIfAbsent(key, p.sealed())));
    }
  }

  /** Seals {@code plain} and waits for the bandwidth to send it; null when the bucket has it whole. */
  private Pending prepare(String key, byte[] plain) throws IOException, InterruptedException {
    if (state.inBucket(key)) {
      skipped++;
      return null;
    }
    byte[] sealed = repo.seal(key, plain);
    bandwidth.acquire(sealed.length);
    bytesSent += sealed.length;
    return new Pending(key, sealed, BlobCodec.sha256(plain));
  }

  private void finish(Sent sent) {
    state.stored(sent.pending().key());
    if (!sent.stored()) {
      skipped++; // written by another upload since the listing: objects are never overwritten
      return;
    }
    written.add(new String[] {sent.pending().key(), sent.pending().plainSha256()});
  }

  /** Reads back a share of what was written and checks it opens to the content that was sent. */
  private long readBack() throws IOException {
    if (readBackPercent <= 0 || written.isEmpty()) {
      return 0;
    }
    int n = Math.max(1, (int) Math.ceil(written.size() * readBackPercent / 100.0));
    List<String[]> sample = new ArrayList<>(written);
    Collections.shuffle(sample, new Random());
    for (String[] w : sample.subList(0, n)) {
      byte[] plain = repo.read(w[0]);
      if (!BlobCodec.sha256(plain).equals(w[1])) {
        throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + w[0] + " read back from "
            + repo.store().describe() + " is not what was uploaded; the store changed it", repo.serverId());
      }
    }
    return n;
  }
}
