package io.storefleet.coordinator.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves the watch the cluster tests rely on actually sees Vert.x's blocked-thread warning. */
class BlockedThreadWatchTest {
  @Test
  void aBlockedEventLoopFailsTheCheck() throws Exception {
    BlockedThreadWatch watch = BlockedThreadWatch.install();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      // Deliberately blocks the event loop so that Vert.x warns; the blocking is the subject.
      vertx.runOnContext(v -> {
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(watch::sawBlocking);
      AssertionError e = assertThrows(AssertionError.class, watch::check);
      assertTrue(e.getMessage().contains("blocked"), e.getMessage());
    } finally {
      vertx.close().await();
    }
  }
}
