package io.storefleet.coordinator.testing;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.log.AppendLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What a worker's operation log on disk says, read beside the running worker. */
public final class OperationLogs {
  private OperationLogs() {}

  /**
   * How many times each operation was started: the distinct start times of its {@code RUNNING}
   * records. Every start is recorded, with its own start time, before the task runs; a running
   * task's notices are recorded as {@code RUNNING} too, but keep the start time. Only meaningful
   * within one worker process: a restart compacts the log to the latest record of each operation.
   */
  public static Map<String, Long> startsByOperation(Path log) throws Exception {
    Map<String, Set<Instant>> starts = new TreeMap<>();
    for (String r : AppendLog.inspect(log).records()) {
      Operation op = Json.decode(r, Operation.class);
      if (op.state() == OperationState.RUNNING) {
        starts.computeIfAbsent(op.uuid(), k -> new HashSet<>()).add(op.startedAt());
      }
    }
    Map<String, Long> counts = new TreeMap<>();
    starts.forEach((uuid, times) -> counts.put(uuid, (long) times.size()));
    return counts;
  }
}
