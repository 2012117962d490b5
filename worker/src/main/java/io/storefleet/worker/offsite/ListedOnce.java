package io.storefleet.worker.offsite;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * An object store whose listings under one copy's prefix all come from one LIST, taken at the
 * first, plus what was put through it since. An upload asks for the key files, the packs, the
 * metadata packs, the dictionaries and the snapshots; each is a round trip that, to a small copy,
 * costs more than the objects it sends. The upload already works from a listing taken when it
 * starts (a concurrent writer is met by If-None-Match), so one listing says no less.
 */
final class ListedOnce extends ForwardingStore {
  private final String base;
  private TreeSet<String> keys;

  ListedOnce(ObjectStore to, String base) {
    super(to);
    this.base = base;
  }

  @Override
  public synchronized List<String> list(String prefix) throws IOException {
    if (!prefix.startsWith(base)) {
      return to.list(prefix);
    }
    if (keys == null) {
      keys = new TreeSet<>();
      for (String k : to.list(base)) {
        if (!k.endsWith("/")) { // folder entries some servers list (S3Proxy's filesystem store); never an object of a copy
          keys.add(k);
        }
      }
    }
    return new ArrayList<>(keys.subSet(prefix, true, prefix + Character.MAX_VALUE, false));
  }

  @Override
  public List<String> listNow(String prefix) throws IOException {
    return to.listNow(prefix);
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    to.put(key, bytes);
    listed(key);
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    boolean stored = to.putIfAbsent(key, bytes);
    listed(key);
    return stored;
  }

  private synchronized void listed(String key) {
    if (keys != null && key.startsWith(base)) {
      keys.add(key);
    }
  }
}
