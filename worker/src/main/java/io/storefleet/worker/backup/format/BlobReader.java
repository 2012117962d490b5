package io.storefleet.worker.backup.format;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a restore reads blobs by digest: a backup path's packs, or an off-site copy read on
 * demand ({@code blobs_archive}). Every blob read is checked against its digest.
 */
public interface BlobReader extends Closeable {
  boolean has(String digest);

  /**
   * A blob's raw content, checked against its digest.
   *
   * @throws CorruptBlobException when it is missing from where it should be, or damaged
   * @throws MissingBlobException when the backup no longer holds it, nothing damaged (an off-site
   *     copy's prune deleted it)
   */
  byte[] read(String digest) throws IOException;

  /** Where the blobs come from, for messages. */
  String describe();

  /** Releases what reading needed; the packs of a backup path are the engine's and stay open. */
  @Override
  default void close() throws IOException {}

  /** The blobs of a backup path's packs. */
  static BlobReader of(BackupEngine engine) {
    BlobPacks packs = engine.blobs();
    return new BlobReader() {
      @Override
      public boolean has(String digest) {
        return packs.has(digest);
      }

      @Override
      public byte[] read(String digest) throws IOException {
        return packs.read(digest);
      }

      @Override
      public String describe() {
        return engine.path().root().toString();
      }
    };
  }
}
