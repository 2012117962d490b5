package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.FetchedPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an off-site copy back into a {@link FetchedPath} (a fetch writes a backup path; a check
 * only verifies): a snapshot's dictionaries, its metadata files and pack indexes, then every pack,
 * each entry checked against its digest. Reading the layout is {@link CopyReader}'s.
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

  private final CopyReader reader;
  /** The snapshot {@link #into} reads. */
  private Manifest selected;

  OffsiteRead(RemoteRepository repo) {
    this.reader = new CopyReader(repo);
  }

  /** Every snapshot, oldest first. */
  List<CopyReader.Snapshot> snapshots() throws IOException {
    return reader.snapshots();
  }

  Report into(FetchedPath dest, Long snapshot, OffsiteUpload.Steps steps) throws IOException {
    return into(dest, snapshot, false, steps);
  }

  /**
   * Reads snapshot {@code snapshot} (null: the newest) into {@code dest}; with {@code
   * metadataOnly}, its metadata files and dictionaries only, for readers that take the blobs from
   * the bucket on demand ({@link RemoteBlobs}).
   */
  Report into(FetchedPath dest, Long snapshot, boolean metadataOnly, OffsiteUpload.Steps steps) throws IOException {
    Manifest m = reader.select(snapshot);
    selected = m;
    long total = m.dictionaries().size() + m.objects().size() + m.files().stream().filter(f -> f.parts() == null)
        .count() + m.indexes().size() + m.indexes().size() + m.packIndexes().size();
    long[] done = {0};
    // Dictionaries first: the packs' frames name them.
    for (String key : m.dictionaries()) {
      steps.checkStopped();
      byte[] dict = reader.dictionary(key);
      dest.writeFile("blobs/dictionaries/" + io.storefleet.worker.backup.format.BlobCodec.sha256(dict) + ".dict", dict);
      steps.progress(++done[0], total, reader.bytes());
    }
    List<PackIndex> indexes = new ArrayList<>();
    reader.metadata(m, new CopyReader.MetadataSink() {
      @Override
      public void file(Manifest.File file, byte[] content) throws IOException {
        dest.writeFile(file.path(), content);
      }

      @Override
      public void index(PackIndex index) {
        indexes.add(index);
      }

      @Override
      public void objectRead() {
        steps.checkStopped();
        steps.progress(++done[0], total, reader.bytes());
      }
    });
    long[] packs = {0};
    // Packs are large: a few at once keeps memory to a few packs.
    try (IoPipeline<FetchedPack> gets = new IoPipeline<>(CopyReader.PARALLEL_PACK_GETS, got -> {
      dest.writePack(got.pack(), got.index().entries().stream()
          .map(e -> new FetchedPath.Entry(e.digest(), e.offset(), e.length(), e.rawSize())).toList());
      packs[0]++;
      steps.progress(++done[0], total, reader.bytes());
    })) {
      for (PackIndex idx : metadataOnly ? List.<PackIndex>of() : indexes) {
        steps.checkStopped();
        gets.submit(() -> new FetchedPack(idx, reader.pack(idx.pack())));
      }
      gets.drain();
    }
    dest.finish();
    return new Report(m.number(), m.at(), m.files().size(), packs[0], dest.blobs(), reader.bytes());
  }

  /**
   * Whether the snapshot {@link #into} read is gone from the bucket: a prune deleted it while it
   * was read (a prune deletes snapshots before what they name), so an object it names that was
   * found missing is no damage.
   */
  private boolean readSnapshotPruned() throws IOException {
    return selected != null && !reader.listed(selected);
  }

  /**
   * Whether {@code failure} of {@link #into} is that of a snapshot a prune deleted while it was
   * read ({@link #readSnapshotPruned}); when listing again fails too, {@code failure} is what is
   * thrown, with that cause suppressed in it.
   */
  boolean prunedWhileRead(StorefleetException failure) {
    if (failure.code() != ErrorCode.BACKUP_DAMAGED) {
      return false;
    }
    try {
      return readSnapshotPruned();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      return false;
    }
  }

  /** The number of the snapshot {@link #into} read. */
  long selected() {
    return selected.number();
  }

  private record FetchedPack(PackIndex index, byte[] pack) {}
}
