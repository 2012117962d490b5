package io.storefleet.worker.backup.format;

import java.io.IOException;

/** A stored blob that cannot be read back as the content its digest names. */
public final class CorruptBlobException extends IOException {
  private final String digest;

  CorruptBlobException(String digest, String message) {
    super("blob " + digest + ": " + message);
    this.digest = digest;
  }

  public String digest() {
    return digest;
  }
}
