package io.storefleet.coordinator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.log.AppendLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault tests' "never run twice" check sees a second start, and only a start. */
class OperationLogsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void countsEachStartOnceAndASecondStartAsTwo() throws Exception {
    Operation once = queued("a");
    Operation twice = queued("b");
    Operation runningOnce = once.withState(OperationState.RUNNING, T0.plusSeconds(1));
    Operation runningTwice = twice.withState(OperationState.RUNNING, T0.plusSeconds(2));
    Path log = dir.resolve("operations.log");
    try (AppendLog l = AppendLog.open(log)) {
      for (Operation op : List.of(once, twice, runningOnce,
          // a notice while running is recorded as RUNNING with the same start: no new start
          runningOnce.withNotification(new Notification(List.of("x@y.test"), "s", "t", T0.plusSeconds(3), "sent")),
          runningOnce.withState(OperationState.SUCCEEDED, T0.plusSeconds(4)),
          runningTwice,
          runningTwice.withState(OperationState.RUNNING, T0.plusSeconds(5)))) {
        l.append(Json.encode(op));
      }
    }
    assertEquals(Map.of("a", 1L, "b", 2L), OperationLogs.startsByOperation(log));
  }

  @Test
  void aSecondStartAtTheSameInstantCountsToo() throws Exception {
    Operation op = queued("c");
    Operation running = op.withState(OperationState.RUNNING, T0.plusSeconds(1));
    Path log = dir.resolve("operations.log");
    try (AppendLog l = AppendLog.open(log)) {
      // a fixed clock: the second start carries the first one's time
      for (Operation o : List.of(op, running, running.withState(OperationState.QUEUED, T0.plusSeconds(1)), running)) {
        l.append(Json.encode(o));
      }
    }
    assertEquals(Map.of("c", 2L), OperationLogs.startsByOperation(log));
  }

  private static Operation queued(String uuid) {
    return new Operation(uuid, "mbox1", "doSmartScan", Map.of(), "admin", null, 1, OperationState.QUEUED, T0, null,
        null, null, null, null, null);
  }
}
