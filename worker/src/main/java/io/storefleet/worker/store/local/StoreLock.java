package io.storefleet.worker.store.local;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** The one lock that serializes every call on the store's state and journal. */
final class StoreLock {
  private final ReentrantLock lock = new ReentrantLock();

  <T> T call(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  void run(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** Closes {@code c} once no call is running, so none sees it half closed. */
  void close(Closeable c) throws IOException {
    lock.lock();
    try {
      c.close();
    } finally {
      lock.unlock();
    }
  }
}
