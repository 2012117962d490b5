package io.storefleet.worker.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestGuardTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final AtomicInteger runs = new AtomicInteger();
  Vertx vertx;
  RequestLog log;
  RequestGuard guard;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    log = RequestLog.open(dir.resolve("requests.log"), clock, Retention.DEFAULT, "mbox1", List.of(), op -> null);
    guard = new RequestGuard(vertx, "mbox1", log, clock);
  }

  @AfterEach
  void close() throws Exception {
    log.close();
    vertx.close().await();
  }

  Future<CommandReply> create(String id, String account) {
    return guard.once(id, "createAccount", Map.of("account", account), "root", RequestGuard.Start.LOGGED, () -> {
      int n = runs.incrementAndGet();
      return Future.succeededFuture(new CommandReply("mbox1", false, null, null, null, "created, run " + n));
    });
  }

  @Test
  void aRepeatGetsTheFirstAnswerMarkedAndRunsNothing() {
    CommandReply first = create("r1", "a@x.example").await();
    CommandReply again = create("r1", "a@x.example").await();
    assertEquals(1, runs.get());
    assertNull(first.repeat());
    assertTrue(again.repeated());
    assertEquals(first.text(), again.text());
  }

  @Test
  void aRepeatAfterARestartIsAnsweredFromDisk() throws Exception {
    create("r1", "a@x.example").await();
    log.close();
    log = RequestLog.open(dir.resolve("requests.log"), clock, Retention.DEFAULT, "mbox1", List.of(), op -> null);
    guard = new RequestGuard(vertx, "mbox1", log, clock);
    CommandReply again = create("r1", "a@x.example").await();
    assertEquals(1, runs.get());
    assertTrue(again.repeated());
    assertEquals("created, run 1", again.text());
  }

  @Test
  void aRepeatWhileTheFirstRunsWaitsForItsAnswer() {
    Promise<CommandReply> slow = Promise.promise();
    Future<CommandReply> first = guard.once("r1", "injectMessages", Map.of(), "root", RequestGuard.Start.LOGGED, () -> {
      runs.incrementAndGet();
      return slow.future();
    });
    org.awaitility.Awaitility.await().until(() -> runs.get() == 1);
    Future<CommandReply> second = guard.once("r1", "injectMessages", Map.of(), "root", RequestGuard.Start.LOGGED,
        () -> {
          runs.incrementAndGet();
          return Future.succeededFuture(new CommandReply("mbox1", false, null, null, null, "second run"));
        });
    assertFalse(second.isComplete(), "the repeat waits for the first");
    slow.complete(new CommandReply("mbox1", false, null, null, null, "injected 3"));
    assertEquals("injected 3", first.await().text());
    assertEquals("injected 3", second.await().text());
    assertTrue(second.await().repeated());
    assertEquals(1, runs.get());
  }

  @Test
  void anErrorIsTheFirstAnswerToo() {
    Future<CommandReply> first = guard.once("r1", "grantFolder", Map.of(), "root", RequestGuard.Start.LOGGED, () -> {
      runs.incrementAndGet();
      return Future.failedFuture(ErrorCode.SERVER_TIMEOUT.exception("mbox2 did not answer", "mbox2"));
    });
    assertThrows(StorefleetException.class, first::await);
    StorefleetException again = assertThrows(StorefleetException.class,
        () -> guard.once("r1", "grantFolder", Map.of(), "root", RequestGuard.Start.LOGGED, () -> {
          runs.incrementAndGet();
          return Future.succeededFuture(new CommandReply("mbox1", false, null, null, null, "granted"));
        }).await());
    assertEquals(ErrorCode.SERVER_TIMEOUT, again.code());
    assertTrue(again.getMessage().contains("not run twice"), again.getMessage());
    assertEquals(1, runs.get());
  }

  @Test
  void anIdReusedForAnotherCommandIsRefused() {
    create("r1", "a@x.example").await();
    StorefleetException e = assertThrows(StorefleetException.class, () -> create("r1", "b@x.example").await());
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("new request id"), e.getMessage());
    assertEquals(1, runs.get());
  }

  @Test
  void aKnownIdIsAnsweredWithoutRunningAndAnUnknownOneIsLeftToRouting() {
    assertTrue(guard.known("r1", "deleteAccount", Map.of("account", "a@x.example"), "root").isEmpty());
    assertTrue(guard.known(null, "deleteAccount", Map.of("account", "a@x.example"), "root").isEmpty());
    CommandReply first = guard.once("r1", "deleteAccount", Map.of("account", "a@x.example"), "root",
        RequestGuard.Start.LOGGED, () -> Future.succeededFuture(new CommandReply("mbox1", false, null, null, null,
            "deleted, run " + runs.incrementAndGet()))).await();
    CommandReply again = guard.known("r1", "deleteAccount", Map.of("account", "a@x.example"), "root").orElseThrow()
        .await();
    assertTrue(again.repeated());
    assertEquals(first.text(), again.text());
    StorefleetException reused = assertThrows(StorefleetException.class,
        () -> guard.known("r1", "deleteAccount", Map.of("account", "b@x.example"), "root").orElseThrow().await());
    assertEquals(ErrorCode.CONFLICT, reused.code());
    assertEquals(1, runs.get());
  }

  @Test
  void withoutAnIdEveryRequestRuns() {
    create(null, "a@x.example").await();
    create(null, "a@x.example").await();
    assertEquals(2, runs.get());
    assertEquals(0, log.size());
  }
}
