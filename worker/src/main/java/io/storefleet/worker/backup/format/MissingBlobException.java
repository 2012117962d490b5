package io.storefleet.worker.backup.format;

import java.io.IOException;

/**
 * A blob the backup read from does not hold, although nothing there is damaged: an off-site
 * copy's prune deleted it with the snapshots that named it (docs/backup-format.md, "Limits of this
 * version"). A restore reports the item as missing (a read error), not as a broken one.
 */
public final class MissingBlobException extends IOException {
  private final String digest;

  public MissingBlobException(String digest, String message) {
    super("blob " + digest + ": " + message);
    this.digest = digest;
  }

  public String digest() {
    return digest;
  }
}
