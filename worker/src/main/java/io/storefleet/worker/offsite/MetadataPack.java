package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The content of a metadata pack object ({@code mpacks/}, format version 2): many entries back to
 * back (a metadata file, a part of one, or a pack index), then a table of contents in JSON, then
 * its length as 4 big-endian bytes; the whole zstd-compressed before it is sealed. Snapshots name
 * entries by offset and length in this uncompressed body; the table lets a reader that has no
 * snapshot (a rebuild of the worker's state) find the pack indexes.
 */
final class MetadataPack {
  /** The entry name of a pack index ({@link PackIndex} JSON); other entries are named by their file's path. */
  static final String INDEX = "@index";

  /** One entry: what it is ({@code name}, and for a file part the file offset it starts at), where, its SHA-256. */
  record Entry(@JsonProperty("n") String name, @JsonProperty("f") long from, @JsonProperty("o") long offset,
      @JsonProperty("l") int length, @JsonProperty("s") String sha256) {}

  record Toc(@JsonProperty("entries") List<Entry> entries) {}

  /**
   * A byte range of a metadata pack: the index of the pack in the snapshot's {@code objects}, the
   * offset and length in its body. Written as a JSON array of three numbers (snapshots list many).
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  record Ref(int object, long offset, int length) {}

  private final byte[] body;
  private final List<Entry> entries;

  private MetadataPack(byte[] body, List<Entry> entries) {
    this.body = body;
    this.entries = entries;
  }

  List<Entry> entries() {
    return entries;
  }

  /** The bytes of the range {@code offset}, {@code length}; BACKUP_DAMAGED when they are not inside the entries. */
  byte[] slice(long offset, int length, String key) {
    if (offset < 0 || length < 0 || offset + length > tocStart()) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site metadata pack " + key + " has no bytes " + offset + "+"
          + length + " (its entries end at " + tocStart() + "); the snapshot naming them is damaged");
    }
    return Arrays.copyOfRange(body, (int) offset, (int) offset + length);
  }

  private long tocStart() {
    return body.length - 4 - ByteBuffer.wrap(body, body.length - 4, 4).getInt();
  }

  /** Opens the decompressed, authenticated content of the object {@code key}. */
  static MetadataPack decode(byte[] compressed, String key) {
    try {
      long size = Zstd.getFrameContentSize(compressed);
      if (size < 4 || size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("frame content size " + size);
      }
      byte[] body = Zstd.decompress(compressed, (int) size);
      int tocLength = ByteBuffer.wrap(body, body.length - 4, 4).getInt();
      if (tocLength < 0 || tocLength > body.length - 4) {
        throw new IllegalArgumentException("table of contents of " + tocLength + " bytes");
      }
      Toc toc = Json.decode(new String(body, body.length - 4 - tocLength, tocLength, StandardCharsets.UTF_8),
          Toc.class);
      return new MetadataPack(body, toc.entries() == null ? List.of() : toc.entries());
    } catch (RuntimeException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site metadata pack " + key + " authenticates but does not"
          + " decode (" + e.getMessage() + "); it was written by another storefleet version");
    }
  }

  /** Collects entries; {@link #build} makes the body. */
  static final class Builder {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<Entry> entries = new ArrayList<>();

    /** Adds an entry and returns its offset in the body. */
    long add(String name, long from, byte[] bytes) {
      long offset = body.size();
      entries.add(new Entry(name, from, offset, bytes.length, BlobCodec.sha256(bytes)));
      body.writeBytes(bytes);
      return offset;
    }

    boolean isEmpty() {
      return entries.isEmpty();
    }

    /** Bytes of the entries so far. */
    long size() {
      return body.size();
    }

    /** The body: entries, table of contents, its length. Deterministic, so the same entries make the same object. */
    byte[] build() {
      byte[] toc = Json.encode(new Toc(entries)).getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + toc.length + 4);
      out.writeBytes(body.toByteArray());
      out.writeBytes(toc);
      out.writeBytes(ByteBuffer.allocate(4).putInt(toc.length).array());
      return out.toByteArray();
    }
  }

  /** The body compressed as it is sealed. */
  static byte[] compress(byte[] body) {
    return Zstd.compress(body, 3);
  }
}
