package io.storefleet.worker.backup.format;

import java.io.IOException;

/**
 * A blob whose zstd frame needs a dictionary the backup path does not have (missing, or damaged).
 * The blob itself may be sound: restoring the dictionary file makes it readable again, so a
 * coherency fix must not take such blobs out of the index.
 */
public final class DictionaryUnavailableException extends IOException {
  private final long dictionaryId;

  DictionaryUnavailableException(long dictionaryId, String message) {
    super(message);
    this.dictionaryId = dictionaryId;
  }

  public long dictionaryId() {
    return dictionaryId;
  }
}
