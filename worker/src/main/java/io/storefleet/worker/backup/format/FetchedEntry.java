package io.storefleet.worker.backup.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Pack entries read one at a time from an off-site copy (docs/backup-format.md, "Reading blobs
 * from the bucket"): each checked as a coherency check does (frame, checksum, decompression,
 * digest) with the copy's dictionaries, held in memory.
 */
public final class FetchedEntry {
  private final BlobDictionaries dictionaries;

  public FetchedEntry(List<byte[]> dictionaries) {
    this.dictionaries = BlobDictionaries.inMemory(Path.of("off-site copy"), dictionaries);
  }

  /** The stored length of an entry whose compressed content is {@code length} bytes (its header added). */
  public static int stored(int length) {
    return PackEntry.HEADER + length;
  }

  /** The error of a blob the copy does not hold, no snapshot left naming it (a missing item, not damage). */
  public static MissingBlobException missing(String digest, String why) {
    return new MissingBlobException(digest, why);
  }

  /** The error of a blob the copy should hold and lost (damage, as a backup path's packs report it). */
  public static CorruptBlobException damaged(String digest, String why) {
    return new CorruptBlobException(digest, why);
  }

  /**
   * The raw content of the entry {@code stored} of blob {@code digest}, whose index says {@code
   * length} and {@code rawSize}; {@code where} names it in errors.
   *
   * @throws CorruptBlobException when it does not check
   */
  public byte[] decode(String digest, String where, int length, long rawSize, byte[] stored) throws IOException {
    return PackEntry.decode(digest, new BlobPacks.Location(where, 0, length, rawSize), stored, dictionaries);
  }
}
