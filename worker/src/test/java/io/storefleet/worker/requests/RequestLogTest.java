package io.storefleet.worker.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Progress;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();

  RequestLog open(Retention retention, List<Operation> ops) throws Exception {
    return RequestLog.open(dir.resolve("requests.log"), clock, retention, "mbox1", ops,
        op -> new CommandReply("mbox1", false, null, op, null, "queued " + op.uuid()));
  }

  RequestRecord asked(String id) {
    return RequestRecord.started(id, clock.instant(), "createAccount", Map.of("account", "a@x.example"), "root");
  }

  static CommandReply reply(String text) {
    return new CommandReply("mbox1", false, null, null, null, text);
  }

  @Test
  void answersSurviveAReopen() throws Exception {
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      log.started(asked("r1"));
      log.answered(asked("r1").answer(reply("created")));
      log.started(asked("r2"));
      log.answered(asked("r2").failure(ErrorInfo.of(ErrorCode.SERVER_TIMEOUT.exception("slow", "mbox2"))));
    }
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      assertEquals("created", log.find("r1").orElseThrow().reply().text());
      assertEquals("SERVER_TIMEOUT", log.find("r2").orElseThrow().error().code());
      assertTrue(log.find("r3").isEmpty());
    }
  }

  @Test
  void aTornLastRecordIsCutAndTheCommittedOnesStay() throws Exception {
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      log.answered(asked("r1").answer(reply("created")));
    }
    Files.writeString(dir.resolve("requests.log"), "1234abcd {\"id\":\"r2\"", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      assertEquals("created", log.find("r1").orElseThrow().reply().text());
      assertTrue(log.find("r2").isEmpty());
    }
  }

  @Test
  void aRequestCutOffByACrashAnswersThatItsOutcomeIsUnknown() throws Exception {
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      log.started(asked("r1"));
    }
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      RequestRecord r = log.find("r1").orElseThrow();
      assertNull(r.reply());
      assertEquals(ErrorCode.INTERNAL.name(), r.error().code());
      assertFalse(r.error().definite());
      assertTrue(r.error().message().contains("outcome is unknown"), r.error().message());
    }
  }

  @Test
  void anOperationWhoseAnswerWasNotWrittenIsFoundInTheOperationLog() throws Exception {
    Operation op = new Operation("u-1", "mbox1", "doSmartScan", Map.of(), "root", null, 1, OperationState.SUCCEEDED,
        clock.instant(), null, null, Progress.none(clock.instant()), OperationStats.empty(), null, null, "r9");
    try (RequestLog log = open(Retention.DEFAULT, List.of(op))) {
      RequestRecord r = log.find("r9").orElseThrow();
      assertEquals("u-1", r.reply().operation().uuid());
      assertEquals("doSmartScan", r.command());
    }
    // Written at that open: still there without the operation.
    try (RequestLog log = open(Retention.DEFAULT, List.of())) {
      assertEquals("u-1", log.find("r9").orElseThrow().reply().operation().uuid());
    }
  }

  @Test
  void idsOlderThanTheRetentionAreForgottenAtTheNextOpen() throws Exception {
    Retention day = new Retention(Duration.ofHours(24), 100);
    try (RequestLog log = open(day, List.of())) {
      log.answered(asked("old").answer(reply("a")));
      clock.advance(Duration.ofHours(20));
      log.answered(asked("young").answer(reply("b")));
    }
    clock.advance(Duration.ofHours(5));
    try (RequestLog log = open(day, List.of())) {
      assertTrue(log.find("old").isEmpty(), "25 h old");
      assertTrue(log.find("young").isPresent(), "5 h old");
      assertEquals(1, log.size());
    }
  }

  @Test
  void atMostMaxIdsAreKeptTheOldestGoFirst() throws Exception {
    Retention three = new Retention(Duration.ofHours(24), 3);
    try (RequestLog log = open(three, List.of())) {
      for (int i = 1; i <= 5; i++) {
        clock.advance(Duration.ofSeconds(1));
        log.answered(asked("r" + i).answer(reply("answer " + i)));
      }
      assertTrue(log.size() <= 3 + 2, "compacted after every 3 records: " + log.size());
    }
    try (RequestLog log = open(three, List.of())) {
      assertEquals(3, log.size());
      assertTrue(log.find("r1").isEmpty());
      assertTrue(log.find("r2").isEmpty());
      assertEquals("answer 5", log.find("r5").orElseThrow().reply().text());
    }
    long lines = Files.readAllLines(dir.resolve("requests.log")).size();
    assertEquals(3, lines, "the file holds one record per kept id after compaction");
  }
}
