package io.storefleet.worker.offsite;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The seam to an object store: the few calls an off-site copy makes. Keys are full object keys.
 * Every call blocks; callers run on worker threads (the operation queue), never on an event loop.
 */
public interface ObjectStore extends AutoCloseable {
  /**
   * Stores an object, sending {@code md5} (Content-MD5) so that the store refuses bytes damaged on
   * the way. Retried by the client on transient errors.
   */
  void put(String key, byte[] bytes) throws IOException;

  /**
   * Stores an object unless there is one under {@code key}. The S3 store sends {@code
   * If-None-Match: *}, which AWS S3 and other servers check atomically; S3Proxy 2.6.0 ignores it
   * (measured), so callers still look first (the upload, in the bucket's listing taken when it
   * starts). This default looks (HEAD), then puts.
   *
   * @return false when an object was there already (nothing was written)
   */
  default boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    if (exists(key)) {
      return false;
    }
    put(key, bytes);
    return true;
  }

  /** An object's bytes, or empty when there is none. */
  Optional<byte[]> get(String key) throws IOException;

  boolean exists(String key) throws IOException;

  /** Every key under a prefix. */
  List<String> list(String prefix) throws IOException;

  /** Where the objects go, for messages (endpoint and bucket; never credentials). */
  String describe();

  @Override
  void close();
}
