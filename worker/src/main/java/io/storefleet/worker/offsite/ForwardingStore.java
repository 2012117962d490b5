package io.storefleet.worker.offsite;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * An object store that passes every call on to another; subclasses change the calls they are
 * about. {@link #putIfAbsent} is the interface's (look, then {@link #put}), so a subclass that
 * changes {@code put} sees every put.
 */
class ForwardingStore implements ObjectStore {
  protected final ObjectStore to;

  ForwardingStore(ObjectStore to) {
    this.to = to;
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    to.put(key, bytes);
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    return to.get(key);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return to.exists(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return to.list(prefix);
  }

  @Override
  public List<String> listNow(String prefix) throws IOException {
    return to.listNow(prefix);
  }

  @Override
  public String describe() {
    return to.describe();
  }

  @Override
  public void close() {
    to.close();
  }
}
