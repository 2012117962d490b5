package io.storefleet.coordinator.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Does one slow, independent step to each of several things at the same time, for a test's setup
 * or teardown that would otherwise spend its time waiting, one after the other (see {@link
 * TestCluster#close()}).
 */
public final class SideBySide {
  private SideBySide() {}

  /**
   * Applies {@code step} to every item, each on a thread of its own, and returns once all are
   * done; every item gets its step even when another's fails. The first failure is thrown with
   * the others suppressed.
   */
  public static <T> void each(Collection<? extends T> items, Consumer<? super T> step) {
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (T item : items) {
        running.add(threads.submit(() -> step.accept(item)));
      }
      RuntimeException failure = null;
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
          if (failure == null) {
            failure = cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      threads.shutdown();
    }
  }
}
