package io.storefleet.worker.offsite;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an upload did.
 *
 * @param packs packs written (each with its index object)
 * @param blobs blobs in those packs
 * @param metadata metadata objects written (metadata packs and dictionaries)
 * @param objectsSkipped objects found already whole in the bucket (a resumed upload)
 * @param bytesSent sealed bytes sent
 * @param readBack objects read back and checked
 * @param snapshot the key of the snapshot object written
 * @param metadataFiles metadata files with new bytes sent, whole or as the tail they grew by
 * @param deltas of those, files sent as their tail only
 * @param metadataBytes bytes of metadata files sent, before compression
 */
public record UploadReport(long packs, long blobs, long metadata, long objectsSkipped, long bytesSent, long readBack,
    String snapshot, long metadataFiles, long deltas, long metadataBytes) {

  /** The counters an operation's result shows, prefixed {@code remote}. */
  public Map<String, Long> counters() {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("remotePacks", packs);
    c.put("remoteBlobs", blobs);
    c.put("remoteMetadata", metadata);
    c.put("remoteMetadataFiles", metadataFiles);
    c.put("remoteDeltas", deltas);
    c.put("remoteSkipped", objectsSkipped);
    c.put("remoteBytesSent", bytesSent);
    c.put("remoteReadBack", readBack);
    return c;
  }
}
