package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the off-site copy: the backup path's metadata files at one cut (each by its
 * SHA-256, length and where its bytes are), every pack index, so every blob, and every dictionary
 * object uploaded up to then (a blob uploaded from an earlier backup path may be compressed with that
 * path's dictionary). {@code path} is the identity of the backup path uploaded (its marker's
 * {@code created}; null in snapshots of older versions) and {@code root} where it was. A restore
 * reads the newest: the highest {@code number} (one more than the newest's when it was written;
 * a remote prune removes snapshots, so numbers have gaps), then the latest {@code at}.
 */
record Manifest(@JsonProperty("server") String server, @JsonProperty("number") long number,
    @JsonProperty("at") String at,
    @JsonProperty("files") List<File> files, @JsonProperty("indexes") List<String> indexes,
    @JsonProperty("dictionaries") List<String> dictionaries, @JsonProperty("path") String path,
    @JsonProperty("root") String root, @JsonProperty("objects") List<String> objects,
    @JsonProperty("packIndexes") List<MetadataPack.Ref> packIndexes) {
  /**
   * Snapshots written before dictionaries were objects of their own list them among the files;
   * version-1 snapshots have no metadata packs ({@code objects}, {@code packIndexes}).
   */
  Manifest {
    dictionaries = dictionaries == null ? List.of() : dictionaries;
    objects = objects == null ? List.of() : objects;
    packIndexes = packIndexes == null ? List.of() : packIndexes;
  }

  /**
   * One metadata file: its content's SHA-256 and length, and where its bytes are: in version 2,
   * {@code parts}, ranges of metadata packs whose concatenation is the file; in version 1, the
   * whole file zstd-compressed in the object {@code object}.
   */
  record File(@JsonProperty("path") String path, @JsonProperty("object") String object,
      @JsonProperty("sha256") String sha256, @JsonProperty("length") long length,
      @JsonProperty("parts") List<MetadataPack.Ref> parts) {}

  /**
   * This snapshot without its lists: what an upload needs to find the newest (number, time, path),
   * kept in the worker's state so that a snapshot object is read once, not on every upload.
   */
  Manifest head() {
    return new Manifest(server, number, at, List.of(), List.of(), List.of(), path, root, List.of(), List.of());
  }

  /** The content of the snapshot object: JSON, zstd-compressed (version 1 wrote it uncompressed). */
  byte[] encode() {
    return Zstd.compress(Json.encode(this).getBytes(StandardCharsets.UTF_8), 3);
  }

  /** The snapshot's time. */
  Instant instant() {
    return Instant.parse(at);
  }

  /** Describes the backup path this snapshot is of, for messages and listings. */
  String describePath() {
    return path == null ? "a backup path of unknown identity (written by an older storefleet)"
        : "backup path " + root + " created " + path;
  }

  static Manifest decode(byte[] plain, String key) {
    try {
      byte[] json = plain;
      if (plain.length >= 4 && (plain[0] & 0xff) == 0x28 && (plain[1] & 0xff) == 0xb5 && (plain[2] & 0xff) == 0x2f
          && (plain[3] & 0xff) == 0xfd) {
        long size = Zstd.getFrameContentSize(plain);
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException("frame content size " + size);
        }
        json = Zstd.decompress(plain, (int) size);
      }
      Manifest m = Json.decode(new String(json, StandardCharsets.UTF_8), Manifest.class);
      if (m.at() == null || m.files() == null || m.indexes() == null) {
        throw new IllegalArgumentException("at, files or indexes missing");
      }
      m.instant();
      return m;
    } catch (RuntimeException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site snapshot " + key + " authenticates but does not decode ("
          + e.getMessage() + "); it was written by another storefleet version");
    }
  }
}
