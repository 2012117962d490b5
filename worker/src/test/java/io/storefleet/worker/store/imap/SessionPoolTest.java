package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;

import io.storefleet.worker.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The connection cap: reuse per account, eviction of other accounts' idle sessions, waiting, staleness. */
class SessionPoolTest {
  private final MutableClock clock = MutableClock.atEpoch2026();
  private final SessionPool pool = new SessionPool(1, Duration.ofSeconds(60), Duration.ofSeconds(30), clock);
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
    CompletableFuture<SessionPool.Lease> waiting = takeLater(pool, "b");
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
    pool.give("a", one);
    SessionPool.Lease got = waiting.get(5, TimeUnit.SECONDS);
    assertSame(one, got.toClose());
    assertFalse(waiting.isCompletedExceptionally());
  }

  @Test
  void aWaitForAConnectionIsBoundedAndNamesTheCap() throws Exception {
    SessionPool pool1 = new SessionPool(1, Duration.ofSeconds(60), Duration.ofMillis(200), clock);
    pool1.take("a");
    CompletableFuture<SessionPool.Lease> waiting = takeLater(pool1, "b");
    ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    StorefleetException cause = assertInstanceOf(StorefleetException.class, e.getCause());
    assertEquals(ErrorCode.IO_ERROR, cause.code());
    assertTrue(cause.getMessage().contains("store.maxConnections"), cause.getMessage());
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

  private static CompletableFuture<SessionPool.Lease> takeLater(SessionPool from, String user) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return from.take(user);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
