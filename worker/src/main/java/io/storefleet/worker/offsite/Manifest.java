package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A snapshot of the off-site copy: the backup path's metadata files at one cut (each by its
 * object, SHA-256 and length), every index object, so every blob, and every dictionary object
 * uploaded up to then (a blob uploaded from an earlier backup path may be compressed with that
 * path's dictionary). A restore reads the newest: the highest {@code number} (the count of
 * snapshots there were when it was written, plus one; snapshots are never removed), then the
 * latest {@code at}.
 */
record Manifest(@JsonProperty("server") String server, @JsonProperty("number") long number,
    @JsonProperty("at") String at,
    @JsonProperty("files") List<File> files, @JsonProperty("indexes") List<String> indexes,
    @JsonProperty("dictionaries") List<String> dictionaries) {
  /** Snapshots written before dictionaries were objects of their own list them among the files. */
  Manifest {
    dictionaries = dictionaries == null ? List.of() : dictionaries;
  }

  record File(@JsonProperty("path") String path, @JsonProperty("object") String object,
      @JsonProperty("sha256") String sha256, @JsonProperty("length") long length) {}

  byte[] encode() {
    return Json.encode(this).getBytes(StandardCharsets.UTF_8);
  }

  static Manifest decode(byte[] plain) {
    try {
      Manifest m = Json.decode(new String(plain, StandardCharsets.UTF_8), Manifest.class);
      if (m.at() == null || m.files() == null || m.indexes() == null) {
        throw new IllegalArgumentException("at, files or indexes missing");
      }
      return m;
    } catch (RuntimeException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("an off-site snapshot authenticates but does not decode ("
          + e.getMessage() + "); it was written by another storefleet version");
    }
  }
}
