package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The content of an index object: which pack it describes and where each blob's entry starts in
 * it. Sealed like every object, so the digests it lists never reach the bucket in clear.
 */
record PackIndex(@JsonProperty("pack") String pack, @JsonProperty("entries") List<Blob> entries) {
  /** One blob: its digest, its entry's offset in the pack, stored length and raw size. */
  record Blob(@JsonProperty("d") String digest, @JsonProperty("o") long offset, @JsonProperty("l") int length,
      @JsonProperty("r") long rawSize) {}

  List<String> digests() {
    return entries.stream().map(Blob::digest).toList();
  }

  byte[] encode() {
    return Json.encode(this).getBytes(StandardCharsets.UTF_8);
  }

  static PackIndex decode(byte[] plain, String key) {
    try {
      PackIndex p = Json.decode(new String(plain, StandardCharsets.UTF_8), PackIndex.class);
      if (p.pack() == null || p.entries() == null) {
        throw new IllegalArgumentException("pack or entries missing");
      }
      return p;
    } catch (RuntimeException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site index " + key + " authenticates but does not decode ("
          + e.getMessage() + "); it was written by another storefleet version");
    }
  }
}
