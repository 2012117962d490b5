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
