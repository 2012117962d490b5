package io.storefleet.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.testing.GatePacer;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationQueueTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final GatePacer gate = new GatePacer();
  final List<String> started = Collections.synchronizedList(new ArrayList<>());
  final List<Operation> changes = Collections.synchronizedList(new ArrayList<>());
  OperationQueue queue;

  /** A task of three items that fails when its command says so. */
  final TaskFactory tasks = op -> ctx -> {
    started.add(op.uuid());
    if (op.command().equals("phased")) {
      ctx.notify("PHASE1 Feedback", "accounts usable");
    }
    for (int i = 1; i <= 3; i++) {
      ctx.beforeItem();
      ctx.progress("working", i, 3, i * 10L);
    }
    if (op.command().equals("fail")) {
      throw ErrorCode.IO_ERROR.exception("disk gone");
    }
    return new OperationStats(Map.of("items", 3L), List.of(), "ok");
  };

  OperationQueue open() throws Exception {
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock, tasks, gate, changes::add);
    return queue;
  }

  @AfterEach
  void close() throws Exception {
    gate.open();
    if (queue != null) {
      queue.close();
    }
  }

  private OperationState state(String uuid) {
    return queue.get(uuid).orElseThrow().state();
  }

  @Test
  void runsOneAtATimeInAcceptanceOrder() throws Exception {
    open().start();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(queue.submit("scan", Map.of(), "t", null).uuid());
    }
    await().until(gate::holding);
    assertEquals(1, queue.list(false).stream().filter(o -> o.state() == OperationState.RUNNING).count());
    gate.open();
    await().until(() -> ids.stream().allMatch(id -> state(id) == OperationState.SUCCEEDED));
    assertEquals(ids, started);
    Operation last = queue.get(ids.get(4)).orElseThrow();
    assertEquals(3, last.stats().counter("items"));
    assertEquals(100, last.progress().percent());
  }

  @Test
  void stopsTheRunningOperationAndRemovesQueuedOnes() throws Exception {
    open().start();
    String running = queue.submit("scan", Map.of(), "t", null).uuid();
    String queued = queue.submit("scan", Map.of(), "t", null).uuid();
    await().until(gate::holding);
    assertEquals(OperationState.REMOVED, queue.stop(queued).state());
    queue.stop(running);
    await().until(() -> state(running) == OperationState.STOPPED);
    assertEquals(List.of(running), started, "the removed operation never ran");
    StorefleetException e = assertThrows(StorefleetException.class, () -> queue.stop(running));
    assertEquals(ErrorCode.OPERATION_FINISHED, e.code());
    assertEquals(ErrorCode.UNKNOWN_OPERATION,
        assertThrows(StorefleetException.class, () -> queue.stop("nope")).code());
  }

  @Test
  void stopAllEmptiesTheQueue() throws Exception {
    open().start();
    String a = queue.submit("scan", Map.of(), "t", null).uuid();
    String b = queue.submit("scan", Map.of(), "t", null).uuid();
    String c = queue.submit("scan", Map.of(), "t", null).uuid();
    await().until(gate::holding);
    assertEquals(3, queue.stopAll().size());
    await().until(() -> state(a) == OperationState.STOPPED);
    assertEquals(OperationState.REMOVED, state(b));
    assertEquals(OperationState.REMOVED, state(c));
  }

  @Test
  void failureIsRecordedWithItsError() throws Exception {
    open().start();
    gate.open();
    String id = queue.submit("fail", Map.of(), "t", null).uuid();
    await().until(() -> state(id).terminal());
    Operation op = queue.get(id).orElseThrow();
    assertEquals(OperationState.FAILED, op.state());
    assertEquals("IO_ERROR", op.error().code());
    assertEquals("mbox1", op.error().server());
  }

  @Test
  void restartInterruptsTheRunningOneRunsQueuedOnesAndKeepsFinishedOnes() throws Exception {
    open().start();
    gate.release(3);
    String done = queue.submit("scan", Map.of(), "t", null).uuid();
    await().until(() -> state(done) == OperationState.SUCCEEDED);
    String running = queue.submit("scan", Map.of("deep", "true"), "t", null).uuid();
    String queued1 = queue.submit("scan", Map.of(), "t", null).uuid();
    String queued2 = queue.submit("scan", Map.of(), "t", null).uuid();
    await().until(gate::holding);
    queue.close();

    clock.advance(Duration.ofMinutes(5));
    started.clear();
    open();
    Operation interrupted = queue.get(running).orElseThrow();
    assertEquals(OperationState.INTERRUPTED, interrupted.state());
    assertEquals(4, interrupted.state().exitCode());
    assertNotNull(interrupted.error());
    assertEquals(Map.of("deep", "true"), interrupted.params());
    assertEquals(OperationState.SUCCEEDED, state(done));
    assertEquals(OperationState.QUEUED, state(queued1));
    queue.start();
    gate.open();
    await().until(() -> state(queued2) == OperationState.SUCCEEDED);
    assertEquals(List.of(queued1, queued2), started);
    String next = queue.submit("scan", Map.of(), "t", null).uuid();
    assertTrue(queue.get(next).orElseThrow().seq() > queue.get(queued2).orElseThrow().seq());
  }

  @Test
  void listShowsFinishedOnlyWhenVerbose() throws Exception {
    open().start();
    gate.open();
    String id = queue.submit("scan", Map.of(), "t", null).uuid();
    await().until(() -> state(id).terminal());
    assertTrue(queue.list(false).isEmpty());
    assertEquals(1, queue.list(true).size());
  }

  @Test
  void notificationsAreRecordedWithTheOperationAndSurviveARestart() throws Exception {
    open().start();
    gate.open();
    String id = queue.submit("phased", Map.of("notifications", "a@example.com, b@example.com"), "t", null).uuid();
    String silent = queue.submit("phased", Map.of(), "t", null).uuid();
    await().until(() -> state(silent).terminal());
    queue.close();
    open();
    Operation op = queue.get(id).orElseThrow();
    assertEquals(2, op.notifications().size(), op.notifications().toString());
    assertEquals("PHASE1 Feedback", op.notifications().get(0).subject());
    assertEquals(List.of("a@example.com", "b@example.com"), op.notifications().get(0).to());
    var ended = op.notifications().get(1);
    assertEquals("phased SUCCEEDED on mbox1 (Operation Ended)", ended.subject());
    assertTrue(ended.text().contains("Items: 3"), ended.text());
    assertTrue(ended.delivery().contains("not mailed"), ended.delivery());
    assertTrue(queue.get(silent).orElseThrow().notifications().isEmpty());
  }

  @Test
  void aRemovedOperationStillTellsItsRecipients() throws Exception {
    open().start();
    String running = queue.submit("scan", Map.of(), "t", null).uuid();
    String queued = queue.submit("scan", Map.of("notifications", "ops@example.com"), "t", null).uuid();
    await().until(() -> state(running) == OperationState.RUNNING);
    queue.stop(queued);
    Operation op = queue.get(queued).orElseThrow();
    assertEquals(1, op.notifications().size());
    assertTrue(op.notifications().get(0).subject().startsWith("scan REMOVED"), op.notifications().get(0).subject());
  }

  /**
   * An operation submitted with its task bound to the command as it was checked runs that task;
   * the record is read back through the queue's factory only after a restart.
   */
  @Test
  void aTaskBoundAtSubmissionRunsWithoutReadingTheRecordBack() throws Exception {
    open().start();
    List<String> bound = Collections.synchronizedList(new ArrayList<>());
    gate.open();
    String id = queue.submit("scan", Map.of("deep", "true"), "t", null, op -> ctx -> {
      bound.add(op.uuid());
      return new OperationStats(Map.of(), List.of(), "bound");
    }).uuid();
    await().until(() -> state(id) == OperationState.SUCCEEDED);
    assertEquals(List.of(id), bound);
    assertEquals(List.of(), started, "the queue's own factory was not asked");
    String plain = queue.submit("scan", Map.of(), "t", null).uuid();
    await().until(() -> state(plain) == OperationState.SUCCEEDED);
    assertEquals(List.of(plain), started);
  }
}
