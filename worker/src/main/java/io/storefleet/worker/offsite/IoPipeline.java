package io.storefleet.worker.offsite;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Object-store requests run a few at a time, their results handed back in the order they were
 * given. An upload or fetch of a copy is hundreds of small objects (one per metadata file), and
 * each request waits a round trip: one at a time, the round trips are most of the time.
 * At most {@code width} requests are in flight, so memory stays bounded by {@code width} objects.
 * Runs on the operation's thread (which blocks in {@link #submit} and {@link #drain}), never on
 * an event loop.
 */
final class IoPipeline<R> implements AutoCloseable {
  /** A blocking object-store request. */
  @FunctionalInterface
  interface Call<R> {
    R call() throws IOException, InterruptedException;
  }

  /** What the caller does with each result, on its own thread and in submission order. */
  @FunctionalInterface
  interface Sink<R> {
    void accept(R result) throws IOException;
  }

  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ExecutorService pool;
  private final ArrayDeque<Future<R>> inFlight = new ArrayDeque<>();
  private final int width;
  private final Sink<R> sink;

  IoPipeline(int width, Sink<R> sink) {
    this.width = width;
    this.sink = sink;
    int n = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(width, r -> {
      Thread t = new Thread(r, "storefleet-offsite-io-" + n + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts {@code call}; first hands the oldest results to the sink while {@code width} are in flight. */
  void submit(Call<R> call) throws IOException {
    while (inFlight.size() >= width) {
      sink.accept(take());
    }
    inFlight.add(pool.submit(() -> {
      try {
        return call.call();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }));
  }

  /** Waits for every request still in flight and hands its result to the sink. */
  void drain() throws IOException {
    while (!inFlight.isEmpty()) {
      sink.accept(take());
    }
  }

  private R take() throws IOException {
    Future<R> oldest = inFlight.poll();
    try {
      return oldest.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the object store");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the object store");
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }

  /**
   * Cancels what is still in flight (after a failure) and waits for the threads to end, so that
   * no request outlives the operation that made it.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
