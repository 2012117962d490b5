package io.storefleet.worker.offsite;

import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.FetchedPath;
import java.io.IOException;
import java.util.ArrayList;
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
   * @param snapshotAt the time of the snapshot read
   * @param files metadata files
   * @param packs packs
   * @param blobs distinct blobs
   * @param bytes sealed bytes read
   */
  record Report(String snapshotAt, long files, long packs, long blobs, long bytes) {}

  private final RemoteRepository repo;
  private long bytes;

  OffsiteRead(RemoteRepository repo) {
    this.repo = repo;
  }

  /** The newest snapshot; NOT_FOUND when the copy has none yet. */
  Manifest latest() throws IOException {
    Manifest best = null;
    String bestKey = null;
    for (String key : repo.store().list(repo.folder(RemoteRepository.Kind.SNAPSHOT))) {
      Manifest m = Manifest.decode(repo.read(key));
      if (!repo.serverId().equals(m.server())) {
        throw ErrorCode.BACKUP_DAMAGED.exception("off-site snapshot " + key + " belongs to server " + m.server()
            + ", not " + repo.serverId() + "; it was moved there", repo.serverId());
      }
      int c = best == null ? 1 : m.number() != best.number() ? Long.compare(m.number(), best.number())
          : m.at().compareTo(best.at()) != 0 ? m.at().compareTo(best.at()) : key.compareTo(bestKey);
      if (c > 0) {
        best = m;
        bestKey = key;
      }
    }
    if (best == null) {
      throw ErrorCode.NOT_FOUND.exception("the off-site copy at " + repo.location() + " has no snapshot yet;"
          + " its first upload did not finish (run doSmartScan remote_metadata_upload true on the server)",
          repo.serverId());
    }
    return best;
  }

  Report into(FetchedPath dest, OffsiteUpload.Steps steps) throws IOException {
    Manifest m = latest();
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
      steps.progress(++done, total, bytes);
    }
    // Snapshots of older uploads list dictionaries among the files.
    List<Manifest.File> files = new ArrayList<>(m.files());
    files.sort((a, b) -> Boolean.compare(!a.path().endsWith(".dict"), !b.path().endsWith(".dict")));
    for (Manifest.File f : files) {
      steps.checkStopped();
      byte[] plain = Zstd.decompress(sealed(f.object()), (int) f.length());
      if (plain.length != f.length() || !BlobCodec.sha256(plain).equals(f.sha256())) {
        throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + f.object() + " (" + f.path()
            + ") does not hold the content its snapshot names", repo.serverId());
      }
      dest.writeFile(f.path(), plain);
      steps.progress(++done, total, bytes);
    }
    long packs = 0;
    for (String indexKey : m.indexes()) {
      steps.checkStopped();
      PackIndex idx = PackIndex.decode(sealed(indexKey));
      if (!indexKey.equals(repo.key(RemoteRepository.Kind.INDEX, idx.pack()))) {
        throw ErrorCode.BACKUP_DAMAGED.exception("off-site index " + indexKey + " names pack " + idx.pack()
            + ", which is not its pack", repo.serverId());
      }
      byte[] pack = sealed(idx.pack());
      dest.writePack(pack, idx.entries().stream()
          .map(b -> new FetchedPath.Entry(b.digest(), b.offset(), b.length(), b.rawSize())).toList());
      packs++;
      steps.progress(++done, total, bytes);
    }
    dest.finish();
    return new Report(m.at(), m.files().size(), packs, dest.blobs(), bytes);
  }

  private byte[] sealed(String key) throws IOException {
    byte[] plain = repo.read(key);
    bytes += plain.length;
    return plain;
  }
}
