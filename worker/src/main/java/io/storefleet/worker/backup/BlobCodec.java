package io.storefleet.worker.backup;

import com.github.luben.zstd.Zstd;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How an item's content becomes a stored blob and back: SHA-256 names it, zstd shrinks it. */
public final class BlobCodec {
  /** zstd level 3: measured in docs/performance.md as the best speed/size point for mail. */
  static final int LEVEL = 3;

  private BlobCodec() {}

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static byte[] compress(byte[] raw) {
    return Zstd.compress(raw, LEVEL);
  }

  static byte[] decompress(byte[] stored, long rawSize) {
    if (rawSize > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("blob of " + rawSize + " bytes is larger than one read can hold");
    }
    return Zstd.decompress(stored, (int) rawSize);
  }
}
