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
import io.storefleet.worker.config.ImapStoreConfig;

import io.storefleet.worker.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The cap on sessions in use, the kept idle sessions (one per account, LRU), waiting, staleness. */
class SessionPoolTest {
  private final MutableClock clock = MutableClock.atEpoch2026();
  private final SessionPool pool = new SessionPool(1, 2, Duration.ofSeconds(60), Duration.ofSeconds(30), clock);
  private final ImapSession one = new ImapSession(null, null);
  private final ImapSession two = new ImapSession(null, null);
  private final ImapSession three = new ImapSession(null, null);

  @Test
  void anIdleSessionIsReusedByItsAccountOnlyAndKeptWhileOthersAreUsed() throws Exception {
    assertNull(pool.take("a").session());
    assertEquals(List.of(), pool.give("a", one));
    assertSame(one, pool.take("a").session());
    assertEquals(List.of(), pool.give("a", one));
    SessionPool.Lease forB = pool.take("b");
    assertNull(forB.session(), "b opens its own");
    assertEquals(List.of(), forB.toClose(), "a's idle session is kept: it takes no slot in use");
    assertEquals(List.of(), pool.give("b", two));
    assertSame(one, pool.take("a").session(), "a's session survived b's call");
  }

  @Test
  void beyondTheKeptNumberTheLeastRecentlyUsedIdleSessionIsClosed() throws Exception {
    pool.take("a");
    pool.give("a", one);
    pool.take("b");
    pool.give("b", two);
    pool.take("a");
    pool.give("a", one);
    pool.take("c");
    assertEquals(List.of(two), pool.give("c", three), "b was used least recently");
    assertEquals(2, pool.idleCount());
    assertNull(pool.take("b").session());
  }

  @Test
  void anAccountKeepsOneIdleSession() throws Exception {
    SessionPool two2 = new SessionPool(2, 4, Duration.ofSeconds(60), Duration.ofSeconds(30), clock);
    two2.take("a");
    two2.take("a");
    assertEquals(List.of(), two2.give("a", one));
    assertEquals(List.of(one), two2.give("a", two), "the older idle one is closed");
    assertEquals(1, two2.idleCount());
  }

  @Test
  void keepingNoneClosesEverySessionGivenBack() throws Exception {
    SessionPool none = new SessionPool(1, 0, Duration.ofSeconds(60), Duration.ofSeconds(30), clock);
    none.take("a");
    assertEquals(List.of(one), none.give("a", one));
    assertEquals(0, none.idleCount());
  }

  @Test
  void withEveryConnectionInUseACallerWaitsForOneToComeBack() throws Exception {
    pool.take("a");
    CompletableFuture<SessionPool.Lease> waiting = takeLater(pool, "b");
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
    pool.give("a", one);
    SessionPool.Lease got = waiting.get(5, TimeUnit.SECONDS);
    assertNull(got.session());
    assertFalse(waiting.isCompletedExceptionally());
  }

  @Test
  void aWaitForAConnectionIsBoundedAndNamesTheCap() throws Exception {
    SessionPool pool1 = new SessionPool(1, 2, Duration.ofSeconds(60), Duration.ofMillis(200), clock);
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
    assertEquals(List.of(one), again.toClose());
  }

  @Test
  void aDiscardedSessionFreesItsSlot() throws Exception {
    pool.take("a");
    pool.discard("a");
    SessionPool.Lease next = pool.take("b");
    assertNull(next.session());
    assertEquals(List.of(), next.toClose());
    assertEquals(0, pool.drain().size());
  }

  @Test
  void anEvictedUsersIdleSessionIsTakenOutAndOneInUseIsNotKeptWhenGivenBack() throws Exception {
    SessionPool two2 = new SessionPool(2, 4, Duration.ofSeconds(60), Duration.ofSeconds(30), clock);
    two2.take("a");
    two2.take("a");
    two2.give("a", one);
    assertEquals(List.of(one), two2.evict("a"), "the idle one is closed now");
    assertEquals(List.of(two), two2.give("a", two), "the one in use when evicted is closed when given back");
    assertEquals(0, two2.idleCount());
    assertEquals(List.of(), two2.evict("b"), "a user without sessions");
    two2.take("a");
    assertEquals(List.of(), two2.give("a", three), "a user of that name created later keeps its own sessions");
    assertEquals(1, two2.idleCount());
  }

  @Test
  void theSweepTakesOutOnlySessionsIdleTooLong() throws Exception {
    pool.take("a");
    pool.give("a", one);
    clock.advance(Duration.ofSeconds(30));
    pool.take("b");
    pool.give("b", two);
    clock.advance(Duration.ofSeconds(31));
    assertEquals(List.of(one), pool.sweep());
    assertEquals(1, pool.idleCount());
    assertEquals(List.of(), pool.sweep());
  }

  @Test
  void aSessionGivenBackAfterThePoolIsDrainedIsClosedNotKept() throws Exception {
    pool.take("a");
    pool.give("a", one);
    pool.take("b");
    assertEquals(List.of(one), List.copyOf(pool.drain()));
    assertEquals(List.of(two), pool.give("b", two));
    assertEquals(0, pool.idleCount());
    assertNull(pool.take("c").session(), "its slot was freed");
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

  /** A scan of the imap store works on one account per connection but one, so others still get one. */
  @Test
  void aScanLeavesAConnectionFreeFromThreeConnectionsUp() {
    for (int[] c : new int[][] {{1, 1}, {2, 2}, {3, 2}, {4, 3}, {10, 9}}) {
      ImapStoreConfig config = new ImapStoreConfig("127.0.0.1", 143, ImapStoreConfig.Tls.NONE, null, "master",
          java.nio.file.Path.of("unused"), java.net.URI.create("http://127.0.0.1:1/doveadm/v1"),
          java.nio.file.Path.of("unused"), c[0], null, Duration.ofSeconds(60));
      ImapScanView view = new ImapScanView(new ImapConnections(config, "unused"), null, null, null, null);
      assertEquals(java.util.OptionalInt.of(c[1]), view.accountsAtOnce(), c[0] + " connections");
    }
  }
}
