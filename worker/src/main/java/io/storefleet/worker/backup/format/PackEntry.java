package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.format.BlobPacks.Location;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One pack entry (docs/backup-format.md, "Pack entries"): a 52-byte header (magic, SHA-256 of the
 * content, raw size, stored length, CRC-32C of the stored bytes) and the stored zstd frame.
 */
final class PackEntry {
  static final int MAGIC = 0x53464231; // "SFB1"
  /** magic, SHA-256, raw size, stored length, CRC-32C of the stored bytes. */
  static final int HEADER = 4 + 32 + 8 + 4 + 4;

  private PackEntry() {}

  /** A blob's {@code index.log} record: digest, pack, offset, stored length, raw size. */
  static String indexRecord(String digest, Location l) {
    return digest + " " + l.pack() + " " + l.offset() + " " + l.length() + " " + l.rawSize();
  }

  /** Reads {@code index.log} records into {@code index}; a later record of a digest wins. */
  static void indexAll(List<String> records, Map<String, Location> index) {
    for (String r : records) {
      String[] f = r.split(" ");
      index.put(f[0], new Location(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4])));
    }
  }

  /** The entry for a blob's stored bytes, ready to be written. */
  static ByteBuffer encode(String digest, long rawSize, byte[] stored) {
    ByteBuffer buf = ByteBuffer.allocate(HEADER + stored.length);
    buf.putInt(MAGIC).put(HexFormat.of().parseHex(digest)).putLong(rawSize).putInt(stored.length).putInt(crc(stored));
    return buf.put(stored).flip();
  }

  /**
   * Checks a stored blob (frame, checksum, decompression, digest) and returns its raw content.
   *
   * @throws DictionaryUnavailableException when its frame needs a dictionary the store lacks
   */
  static byte[] decode(String digest, Location l, byte[] stored, BlobDictionaries dictionaries) throws IOException {
    if (stored.length < HEADER + l.length()) {
      throw new CorruptBlobException(digest, "truncated in " + l.pack() + " at " + l.offset());
    }
    ByteBuffer b = ByteBuffer.wrap(stored);
    byte[] sha = new byte[32];
    if (b.getInt() != MAGIC) {
      throw new CorruptBlobException(digest, "bad frame marker in " + l.pack() + " at " + l.offset());
    }
    b.get(sha);
    long raw = b.getLong();
    int len = b.getInt();
    int crc = b.getInt();
    if (!HexFormat.of().formatHex(sha).equals(digest) || raw != l.rawSize() || len != l.length()) {
      throw new CorruptBlobException(digest, "frame header does not match the index in " + l.pack() + " at " + l.offset());
    }
    byte[] z = new byte[len];
    b.get(z);
    if (crc(z) != crc) {
      throw new CorruptBlobException(digest, "checksum mismatch in " + l.pack() + " at " + l.offset());
    }
    long dictId = BlobCodec.dictionaryId(z);
    var dict = dictId == 0 ? null : dictionaries.forId(dictId);
    byte[] content;
    try {
      content = BlobCodec.decompress(z, raw, dict);
    } catch (RuntimeException e) {
      throw new CorruptBlobException(digest, "does not decompress: " + e.getMessage());
    }
    if (content.length != raw || !BlobCodec.sha256(content).equals(digest)) {
      throw new CorruptBlobException(digest, "content does not match its digest");
    }
    return content;
  }

  static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes);
    return (int) c.getValue();
  }


  /** The stored bytes of a blob (header and compressed content), unchecked. */
  static byte[] read(Path dir, Location l) throws IOException {
    Path f = dir.resolve(l.pack());
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(HEADER + l.length());
      while (buf.hasRemaining()) {
        if (ch.read(buf, l.offset() + buf.position()) < 0) {
          break;
        }
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("pack " + f + " is missing", e);
    }
  }}
