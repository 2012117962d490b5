package io.storefleet.coordinator.testing;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.log.AppendLog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What a worker's operation log on disk says, read beside the running worker. */
public final class OperationLogs {
  private OperationLogs() {}

  /**
   * How many times each operation was started: each {@code RUNNING} record that follows a record of
   * another state, or that carries another start time than the {@code RUNNING} record before it.
   * Every start is recorded before the task runs; a running task's notices are recorded as {@code
   * RUNNING} too, with the same start time, and are not starts. Either sign alone would miss a
   * second start (a fixed test clock repeats the time; a start right after a crash follows a
   * {@code RUNNING} record). Only meaningful within one worker process: a restart compacts the log to
   * the latest record of each operation.
   */
  public static Map<String, Long> startsByOperation(Path log) throws Exception {
    Map<String, Operation> last = new HashMap<>();
    Map<String, Long> counts = new TreeMap<>();
    for (String r : AppendLog.inspect(log).records()) {
      Operation op = Json.decode(r, Operation.class);
      Operation before = last.put(op.uuid(), op);
      if (op.state() == OperationState.RUNNING && (before == null || before.state() != OperationState.RUNNING
          || !Objects.equals(before.startedAt(), op.startedAt()))) {
        counts.merge(op.uuid(), 1L, Long::sum);
      }
    }
    return counts;
  }
}
