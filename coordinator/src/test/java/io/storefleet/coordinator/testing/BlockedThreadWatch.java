package io.storefleet.coordinator.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects Vert.x's blocked-thread warnings during a cluster test, so that a test that blocked an
 * event loop fails instead of passing with a warning in its log.
 */
final class BlockedThreadWatch extends Handler {
  private static final Logger VERTX = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  static BlockedThreadWatch install() {
    BlockedThreadWatch w = new BlockedThreadWatch();
    VERTX.addHandler(w);
    return w;
  }

  @Override
  public void publish(LogRecord r) {
    if (r.getMessage() != null && r.getMessage().contains("has been blocked")) {
      warnings.add(r.getMessage());
    }
  }

  boolean sawBlocking() {
    return !warnings.isEmpty();
  }

  /** Removes the watch and fails if any event loop was blocked. */
  void check() {
    VERTX.removeHandler(this);
    if (!warnings.isEmpty()) {
      throw new AssertionError("an event loop was blocked during the test: " + warnings.get(0));
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
