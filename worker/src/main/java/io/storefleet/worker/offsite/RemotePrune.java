package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.BlobCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes from an off-site copy what neither the backup path nor the snapshots kept need
 * (docs/backup-format.md, "Pruning the copy"). It runs right after an upload of the path as it is
 * now (after the local purge), with the prune credentials, under a {@link PruneLock}:
 *
 * <ol>
 *   <li>writes a snapshot like the newest (the upload's) but naming only the indexes of packs
 *       that hold a blob the path still has: a pack is kept whole while one of its blobs is live
 *       (partly used packs are not rewritten; their dead bytes are reported);
 *   <li>keeps that snapshot and the {@code keep - 1} newest before the upload's;
 *   <li>deletes the other snapshots, then the metadata objects, indexes and packs that a deleted
 *       snapshot named and no kept one does. What no snapshot names (an upload still under way) is
 *       left alone. If a snapshot appeared meanwhile, nothing is deleted.
 * </ol>
 */
final class RemotePrune {
  /**
   * What a prune did (or would do, in a dry run).
   *
   * @param counted the number of the snapshot counted against: the newest when the prune began
   * @param snapshot the number of the snapshot written
   * @param snapshotsKept snapshots left
   * @param snapshotsDeleted snapshots removed
   * @param metadataDeleted metadata objects removed
   * @param packsDeleted packs removed (each with its index)
   * @param packsKept packs the kept snapshots name
   * @param partlyUsedPacks packs of the new snapshot with blobs the path no longer has
   * @param deadBytesKept stored bytes of those blobs
   */
  record Report(long counted, long snapshot, long snapshotsKept, long snapshotsDeleted, long metadataDeleted, long packsDeleted,
      long packsKept, long partlyUsedPacks, long deadBytesKept) {
    Map<String, Long> counters() {
      Map<String, Long> c = new java.util.LinkedHashMap<>();
      c.put("remoteSnapshotsKept", snapshotsKept);
      c.put("remoteSnapshotsDeleted", snapshotsDeleted);
      c.put("remoteMetadataDeleted", metadataDeleted);
      c.put("remotePacksDeleted", packsDeleted);
      c.put("remotePacksKept", packsKept);
      c.put("remotePartlyUsedPacks", partlyUsedPacks);
      c.put("remoteDeadBytesKept", deadBytesKept);
      return c;
    }
  }

  private final RemoteRepository repo;
  private final Clock clock;
  private final String process;
  private final Path stateFile;

  /**
   * @param process the run of the worker that prunes, named in its {@link PruneLock}
   * @param stateFile the worker's {@link RemoteState} of this copy, told what is deleted
   */
  RemotePrune(RemoteRepository repo, Clock clock, String process, Path stateFile) {
    this.repo = repo;
    this.clock = clock;
    this.process = process;
    this.stateFile = stateFile;
  }

  /**
   * @param live the digests of every blob the backup path holds now
   * @param pathIdentity the path's identity, which the newest snapshot must be of
   * @param keep how many snapshots to keep, at least 1
   */
  Report run(Set<String> live, String pathIdentity, int keep, boolean dryRun, OffsiteUpload.Steps steps)
      throws IOException {
    try (PruneLock lock = dryRun ? null : PruneLock.take(repo, clock, process)) {
      return prune(live, pathIdentity, keep, dryRun, lock == null ? steps : lock.refreshing(steps));
    } catch (java.io.UncheckedIOException e) { // a refresh of the lock failed
      throw e.getCause();
    }
  }

  private Report prune(Set<String> live, String pathIdentity, int keep, boolean dryRun, OffsiteUpload.Steps steps)
      throws IOException {
    List<CopyReader.Snapshot> all = new CopyReader(repo).snapshots();
    if (all.isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception("the off-site copy at " + repo.location() + " has no snapshot; nothing"
          + " to prune", repo.serverId());
    }
    Manifest newest = all.get(all.size() - 1).manifest();
    if (newest.path() != null && !newest.path().equals(pathIdentity)) {
      throw ErrorCode.CONFLICT.exception("the off-site copy's newest snapshot " + newest.number() + " is of "
          + newest.describePath() + ", not of this server's backup path; pruning by this path would delete what that"
          + " snapshot needs. Nothing was deleted", repo.serverId());
    }
    Set<String> listed = new HashSet<>(repo.store().list(repo.folder(RemoteRepository.Kind.DATA)));
    listed.addAll(repo.store().list(repo.folder(RemoteRepository.Kind.INDEX)));
    listed.addAll(repo.store().list(repo.folder(RemoteRepository.Kind.META)));
    listed.addAll(repo.store().list(repo.folder(RemoteRepository.Kind.MPACK)));
    SnapshotIndexes indexes = new SnapshotIndexes(repo, listed, steps);
    all.forEach(s -> indexes.want(s.manifest()));
    indexes.read();

    Manifest pruned = indexes.onlyLive(newest, live, newest.number() + 1, clock.instant().toString());
    long partly = 0;
    long dead = 0;
    for (PackIndex idx : indexes.of(pruned)) {
      long deadHere = idx.entries().stream().filter(b -> !live.contains(b.digest())).mapToLong(PackIndex.Blob::length)
          .sum();
      partly += deadHere > 0 ? 1 : 0;
      dead += deadHere;
    }
    List<CopyReader.Snapshot> older = all.subList(0, all.size() - 1);
    List<CopyReader.Snapshot> keptOlder = older.subList(Math.max(0, older.size() - (keep - 1)), older.size());
    List<Manifest> kept = new ArrayList<>();
    kept.add(pruned);
    keptOlder.forEach(s -> kept.add(s.manifest()));
    Set<String> keptObjects = new HashSet<>();
    Set<String> keptPacks = new HashSet<>();
    for (Manifest m : kept) {
      keptObjects.addAll(named(m));
      indexes.of(m).forEach(i -> keptPacks.add(i.pack()));
    }
    Set<String> deadSnapshots = new LinkedHashSet<>();
    Set<String> deadObjects = new LinkedHashSet<>();
    Set<String> deadPacks = new LinkedHashSet<>();
    Set<String> namedAtAll = new HashSet<>();
    for (CopyReader.Snapshot s : all) {
      namedAtAll.addAll(named(s.manifest()));
      if (keptOlder.contains(s)) {
        continue;
      }
      deadSnapshots.add(s.key());
      named(s.manifest()).stream().filter(o -> !keptObjects.contains(o) && listed.contains(o)).forEach(deadObjects::add);
      indexes.of(s.manifest()).stream().map(PackIndex::pack)
          .filter(p -> !keptPacks.contains(p) && listed.contains(p)).forEach(deadPacks::add);
    }
    // A version-1 index object whose pack is gone and that no snapshot names is of nothing (a
    // prune cut short between a pack and its index): an upload puts a pack before its index.
    for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.INDEX))) {
      if (!namedAtAll.contains(k) && !listed.contains(PackIndex.decode(repo.read(k), k).pack())) {
        deadObjects.add(k);
      }
    }
    long metadata = deadObjects.stream().filter(o -> !o.startsWith(repo.folder(RemoteRepository.Kind.INDEX))).count();
    Report r = new Report(newest.number(), pruned.number(), kept.size(), deadSnapshots.size(), metadata, deadPacks.size(),
        keptPacks.size(), partly, dead);
    if (dryRun) {
      return r;
    }
    steps.checkStopped(); // the lock refreshed (or found lapsed) before anything is written
    byte[] plain = pruned.encode();
    String key = repo.key(RemoteRepository.Kind.SNAPSHOT, pruned.number() + "\n" + BlobCodec.sha256(plain));
    repo.store().put(key, repo.seal(key, plain));
    Set<String> expected = new HashSet<>(deadSnapshots);
    keptOlder.forEach(s -> expected.add(s.key()));
    expected.add(key);
    // Listed again right before the deletes: an upload that passed its own check before this
    // prune's lock was written may have written a snapshot naming what would be deleted.
    Set<String> now = new HashSet<>(repo.store().list(repo.folder(RemoteRepository.Kind.SNAPSHOT)));
    if (!now.equals(expected)) {
      now.removeAll(expected);
      // Its own snapshot goes too: it may number like the new one, and does not name what that one sent.
      IOException left = null;
      try {
        repo.store().delete(key);
      } catch (IOException e) {
        left = e;
      }
      StorefleetException conflict = ErrorCode.CONFLICT.exception("snapshot(s) " + now + " appeared in the off-site"
          + " copy at " + repo.location() + " while it was pruned (an upload that began before the prune's lock?);"
          + " nothing was deleted" + (left == null ? " but the prune's own snapshot"
          : ", and the prune's own snapshot " + key + " could not be deleted: it may stand as the newest until the"
          + " next upload") + ", run doPruneRemoteBackup again", repo.serverId());
      if (left != null) {
        conflict.addSuppressed(left);
      }
      throw conflict;
    }
    List<String> deleting = new ArrayList<>(deadSnapshots);
    deleting.addAll(deadPacks);
    deleting.addAll(deadObjects);
    RemoteState.recordDeleted(stateFile, deleting);
    long total = deleting.size();
    long[] done = {0};
    // Snapshots first: every snapshot left names only objects that are still there. Packs before
    // the objects holding their indexes: a prune cut short leaves small metadata objects named by
    // nothing, never a pack without its index.
    for (String k : deadSnapshots) {
      delete(k, steps, done, total);
    }
    for (String k : deadPacks) {
      delete(k, steps, done, total);
    }
    for (String k : deadObjects) {
      delete(k, steps, done, total);
    }
    return r;
  }

  /** The objects other than packs and dictionaries a snapshot needs: metadata packs, version-1 metadata and indexes. */
  private static Set<String> named(Manifest m) {
    Set<String> out = new HashSet<>(m.objects());
    out.addAll(m.indexes());
    m.files().stream().map(Manifest.File::object).filter(java.util.Objects::nonNull).forEach(out::add);
    return out;
  }

  private void delete(String key, OffsiteUpload.Steps steps, long[] done, long total) throws IOException {
    steps.checkStopped();
    repo.store().delete(key);
    steps.progress(++done[0], total, 0);
  }
}
