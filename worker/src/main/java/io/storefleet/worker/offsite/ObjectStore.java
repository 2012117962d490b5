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

  /**
   * {@code length} bytes of an object from {@code from} (a ranged GET), or empty when there is no
   * object; fewer when the object ends sooner. This default reads it whole.
   */
  default Optional<byte[]> getRange(String key, long from, int length) throws IOException {
    return get(key).map(b -> java.util.Arrays.copyOfRange(b, (int) Math.min(from, b.length),
        (int) Math.min(from + length, b.length)));
  }

  boolean exists(String key) throws IOException;

  /**
   * Deletes an object; one already gone is no error. Only the store remote pruning opens with
   * its own credentials deletes: any other refuses before sending anything, so the upload, fetch
   * and check paths cannot delete even where the bucket's policy would let them.
   */
  default void delete(String key) throws IOException {
    throw new IOException("the off-site store " + describe() + " was opened with the upload credentials, which do"
        + " not delete " + key + "; only doPruneRemoteBackup deletes, with the credentials of "
        + "ZxBackup_RemotePruneSecretsFile");
  }

  /** Every key under a prefix. */
  List<String> list(String prefix) throws IOException;

  /**
   * Every key under a prefix as the store holds them now, past any listing a wrapper keeps (see
   * {@link ListedOnce}): for the checks that must see what another worker did meanwhile.
   */
  default List<String> listNow(String prefix) throws IOException {
    return list(prefix);
  }

  /** Where the objects go, for messages (endpoint and bucket; never credentials). */
  String describe();

  @Override
  void close();
}
