package io.storefleet.coordinator.testing;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.log.AppendLog;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What a worker's operation log on disk says, read beside the running worker. */
public final class OperationLogs {
  private OperationLogs() {}

  /**
   * How many times each operation was started, from its {@code RUNNING} records. Every start is
   * recorded before the task runs, so two records mean it ran twice. Only meaningful within one
   * worker process: a restart compacts the log to the latest record of each operation.
   */
  public static Map<String, Long> startsByOperation(Path log) throws Exception {
    Map<String, Long> starts = new TreeMap<>();
    for (String r : AppendLog.inspect(log).records()) {
      Operation op = Json.decode(r, Operation.class);
      if (op.state() == OperationState.RUNNING) {
        starts.merge(op.uuid(), 1L, Long::sum);
      }
    }
    return starts;
  }
}
