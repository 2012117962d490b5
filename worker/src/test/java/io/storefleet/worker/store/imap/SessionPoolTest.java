package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.storefleet.worker.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The connection cap: reuse per account, eviction of other accounts' idle sessions, waiting, staleness. */
class SessionPoolTest {
  private final MutableClock clock = MutableClock.atEpoch2026();
  private final SessionPool pool = new SessionPool(1, Duration.ofSeconds(60), clock);
  private final ImapSession one = new ImapSession(null);

  @Test
  void anIdleSessionIsReusedByItsAccountOnly() throws Exception {
    assertNull(pool.take("a").session());
    pool.give("a", one);
    assertSame(one, pool.take("a").session());
    pool.give("a", one);
    SessionPool.Lease forB = pool.take("b");
    assertNull(forB.session(), "b opens its own");
    assertSame(one, forB.toClose(), "a's idle session gives b its slot");
  }

  @Test
  void withEveryConnectionInUseACallerWaitsForOneToComeBack() throws Exception {
    pool.take("a");
    CompletableFuture<SessionPool.Lease> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return pool.take("b");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
    pool.give("a", one);
    SessionPool.Lease got = waiting.get(5, TimeUnit.SECONDS);
    assertSame(one, got.toClose());
    assertFalse(waiting.isCompletedExceptionally());
  }

  @Test
  void aStaleSessionIsClosedNotReused() throws Exception {
    pool.take("a");
    pool.give("a", one);
    clock.advance(Duration.ofSeconds(61));
    SessionPool.Lease again = pool.take("a");
    assertNull(again.session());
    assertSame(one, again.toClose());
  }

  @Test
  void aDiscardedSessionFreesItsSlot() throws Exception {
    pool.take("a");
    pool.discard();
    SessionPool.Lease next = pool.take("b");
    assertNull(next.session());
    assertNull(next.toClose());
    assertEquals(0, pool.drain().size());
  }
}
