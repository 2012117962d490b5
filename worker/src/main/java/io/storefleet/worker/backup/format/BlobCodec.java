package io.storefleet.worker.backup.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * How an item's content becomes a stored blob and back: SHA-256 names it, zstd shrinks it,
 * optionally with a dictionary trained on the backup's own mail (docs/backup-format.md,
 * "Dictionaries").
 */
public final class BlobCodec {
  /** zstd level 3: measured in docs/performance.md as the best speed/size point for mail. */
  static final int LEVEL = 3;
  /** Largest dictionary trained; measured on mail, larger ones gained nothing. */
  static final int MAX_DICTIONARY = 112 << 10;
  static final int MIN_DICTIONARY = 16 << 10;
  /** Too few samples train a dictionary that costs more than it saves. */
  public static final int MIN_SAMPLES = 64;
  public static final long MIN_SAMPLE_BYTES = 256 << 10;
  /**
   * Each sample is cut to this: headers, where messages resemble each other, come first. Measured
   * on the benchmark's mail: longer samples made the trainer slower and often stop at a fraction
   * of the dictionary's size.
   */
  public static final int SAMPLE_BYTES = 4 << 10;

  private BlobCodec() {}

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static byte[] compress(byte[] raw) {
    return compress(raw, null);
  }

  /**
   * A thread's compression contexts, kept: making one per blob (what {@code Zstd.compress} does)
   * allocates and clears its tables every time, a tenth of a scan's compression time.
   */
  private static final class Contexts {
    final ZstdCompressCtx plain = new ZstdCompressCtx().setLevel(LEVEL);
    ZstdCompressCtx withDict;
    ZstdDictCompress dict;
  }

  private static final ThreadLocal<Contexts> CONTEXTS = ThreadLocal.withInitial(Contexts::new);

  /** Compresses with {@code dict} (its id goes into the frame header), or without one when null. */
  static byte[] compress(byte[] raw, ZstdDictCompress dict) {
    Contexts c = CONTEXTS.get();
    if (dict == null) {
      return c.plain.compress(raw);
    }
    if (c.dict != dict) {
      c.withDict = new ZstdCompressCtx().loadDict(dict);
      c.dict = dict;
    }
    return c.withDict.compress(raw);
  }

  /** The dictionary id a stored frame was compressed with; 0 when none. */
  static long dictionaryId(byte[] stored) {
    long id = Zstd.getDictIdFromFrame(stored);
    return Zstd.isError(id) ? 0 : id;
  }

  static byte[] decompress(byte[] stored, long rawSize, ZstdDictDecompress dict) {
    if (rawSize > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("blob of " + rawSize + " bytes is larger than one read can hold");
    }
    return dict == null ? Zstd.decompress(stored, (int) rawSize) : Zstd.decompress(stored, dict, (int) rawSize);
  }

  /**
   * Trains a zstd dictionary on content samples (each cut to {@link #SAMPLE_BYTES}).
   *
   * @return the dictionary, or null when the samples are too few to be worth one or training fails
   */
  static byte[] trainDictionary(List<byte[]> samples) {
    if (samples.size() < MIN_SAMPLES) {
      return null;
    }
    byte[][] cut = new byte[samples.size()][];
    long total = 0;
    for (int i = 0; i < cut.length; i++) {
      byte[] s = samples.get(i);
      cut[i] = s.length > SAMPLE_BYTES ? Arrays.copyOf(s, SAMPLE_BYTES) : s;
      total += cut[i].length;
    }
    if (total < MIN_SAMPLE_BYTES) {
      return null;
    }
    // About a tenth of the samples, as zstd's own guidance says.
    byte[] dict = new byte[(int) Math.max(MIN_DICTIONARY, Math.min(MAX_DICTIONARY, total / 10))];
    long n = Zstd.trainFromBuffer(cut, dict, false, LEVEL);
    if (Zstd.isError(n) || n <= 0) {
      return null;
    }
    return Arrays.copyOf(dict, (int) n);
  }

  /** The id a dictionary carries in its header, or 0 for raw content that is no zstd dictionary. */
  static long idOfDictionary(byte[] dict) {
    long id = Zstd.getDictIdFromDict(dict);
    return Zstd.isError(id) ? 0 : id;
  }
}
