package io.storefleet.worker.offsite;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One upload of a backup path's cut to its off-site copy (docs/backup-format.md, "The off-site
 * copy"), in the order that keeps the copy restorable whenever it stops: blobs not yet uploaded,
 * in packs (their indexes go into metadata packs, recorded in the state once sent); then metadata
 * files, whole or as the tail they grew by, into metadata packs ({@link MetadataUpload};
 * dictionaries as objects of their own); then a snapshot naming them, every pack index and every
 * dictionary in the bucket; then a read-back of a sample.
 */
final class OffsiteUpload {
  private static final String DICT_SUFFIX = ".dict";
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
  private String newestKey;
  private Manifest newestWhole;
  private long packs;
  private long blobs;
  private long dictionaries;
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
    MetadataUpload meta = new MetadataUpload(repo, state, newest == null ? null : base(), this::put,
        OffsiteCopy.PACK_TARGET);
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
      String packName = repo.key(RemoteRepository.Kind.DATA, String.join("\n",
          entries.stream().map(PackIndex.Blob::digest).toList()));
      if (put(packName, pack.toByteArray())) {
        packs++;
        blobs += entries.size();
      }
      meta.addIndex(new PackIndex(packName, entries));
      done += entries.size();
      steps.progress(done, total, bytesSent);
    }
    for (OffsiteSource.MetaFile f : src.files()) {
      steps.checkStopped();
      byte[] bytes = src.read(f);
      if (f.relPath().endsWith(DICT_SUFFIX)) {
        String key = repo.key(RemoteRepository.Kind.DICT, BlobCodec.sha256(bytes));
        if (!state.hasMeta(key)) {
          dictionaries += put(key, bytes) ? 1 : 0;
          state.recordMeta(key);
        }
      } else {
        meta.addFile(f.relPath(), bytes);
      }
      steps.progress(++done, total, bytesSent);
    }
    // After the newest, not after the count: a prune removes snapshots.
    long number = newest == null ? 1 : newest.number() + 1;
    List<String> dicts = new ArrayList<>(repo.store().list(repo.folder(RemoteRepository.Kind.DICT)));
    dicts.sort(null);
    Manifest m = meta.manifest(src.serverId(), number, clock.instant().toString(), dicts, identity, src.pathRoot());
    byte[] plain = m.encode();
    String snapshot = repo.key(RemoteRepository.Kind.SNAPSHOT, number + "\n" + BlobCodec.sha256(plain));
    checkNoPruneSince(snapshots);
    put(snapshot, plain);
    state.recordSnapshot(snapshot, m);
    state.rememberBase(snapshot, m);
    long readBack = readBack();
    return new UploadReport(packs, blobs, meta.packsSent() + dictionaries, skipped, bytesSent, readBack, snapshot,
        meta.filesSent(), meta.deltas(), meta.newBytes());
  }

  /**
   * Right before the snapshot is written: a prune that began after this upload's check at its
   * start may have deleted packs or metadata objects the snapshot would name (those only the
   * snapshots it deleted named). CONFLICT, and no snapshot, while a prune lock is live or when a
   * snapshot listed at the start is gone. What was sent stays unnamed; the next upload lists the
   * bucket afresh, so its state, finding objects it recorded gone, is rebuilt from the bucket and
   * sends again what the prune deleted.
   */
  private void checkNoPruneSince(List<String> listedAtStart) throws IOException {
    String then = "this upload wrote no snapshot (what it sent is named by the next); the next SmartScan uploads";
    PruneLock.checkNoneNow(repo, clock, then);
    Set<String> now = new HashSet<>(repo.store().listNow(repo.folder(RemoteRepository.Kind.SNAPSHOT)));
    List<String> gone = listedAtStart.stream().filter(k -> !now.contains(k)).toList();
    if (!gone.isEmpty()) {
      throw ErrorCode.CONFLICT.exception("snapshot(s) " + gone + " of the off-site copy at " + repo.location()
          + " were deleted by a doPruneRemoteBackup while this upload ran, with objects this upload's snapshot"
          + " would name; " + then, repo.serverId());
    }
  }

  /**
   * The whole newest snapshot, the base of this upload's deltas: read while finding the newest,
   * else kept by the state when this worker wrote or read it, else read now.
   */
  private Manifest base() throws IOException {
    String key = newestKey;
    if (newestWhole != null) {
      state.rememberBase(key, newestWhole);
      return newestWhole;
    }
    Manifest kept = state.base(key);
    if (kept != null) {
      return kept;
    }
    Manifest m = CopyReader.snapshot(repo, key);
    state.rememberBase(key, m);
    return m;
  }

  /**
   * The newest of the snapshot objects {@code keys}, or null when there are none. Only those the
   * state has not seen are read (and then remembered): the upload's cost does not grow with the
   * number of snapshots, each of which names every index.
   */
  private Manifest newest(List<String> keys) throws IOException {
    CopyReader.Snapshot max = null;
    for (String key : keys) {
      Manifest head = state.head(key);
      Manifest whole = null;
      if (head == null) {
        whole = CopyReader.snapshot(repo, key);
        head = whole.head();
        state.recordSnapshot(key, head);
      }
      CopyReader.Snapshot s = new CopyReader.Snapshot(key, head);
      if (max == null || CopyReader.ORDER.compare(s, max) > 0) {
        max = s;
        newestWhole = whole; // kept only for the newest: the base of the deltas, not read again
      }
    }
    if (max == null) {
      return null;
    }
    newestKey = max.key();
    return max.manifest();
  }

  /** An object sealed and counted, to be sent. */
  private record Pending(String key, byte[] sealed, String plainSha256) {}

  /** A pending object sent: whether this upload stored it (false: another had since the listing). */
  private record Sent(Pending pending, boolean stored) {}

  /**
   * Stores a sealed object unless a whole one is already there (an upload cut short before its
   * record): the bucket's listing taken when the state was opened says, so no HEAD is sent.
   * Returns whether this upload stored it.
   */
  private boolean put(String key, byte[] plain) throws IOException, InterruptedException {
    Pending p = prepare(key, plain);
    if (p == null) {
      return false;
    }
    Sent sent = new Sent(p, repo.store().putIfAbsent(key, p.sealed()));
    finish(sent);
    return sent.stored();
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
