package io.storefleet.worker.queue;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's operation log on disk: every state change of every operation, appended and
 * synced before it is acknowledged. On open the latest record of each operation wins; the file
 * is then compacted to one record per operation, keeping the newest finished ones.
 */
public final class OperationLog implements Closeable {
  /** Finished operations kept across restarts. */
  static final int KEEP_FINISHED = 1000;

  private final AppendLog log;
  private final Map<String, Operation> latest;

  private OperationLog(AppendLog log, Map<String, Operation> latest) {
    this.log = log;
    this.latest = latest;
  }

  /** Opens the log, compacting it. */
  public static OperationLog open(Path file) throws IOException {
    Map<String, Operation> latest = new LinkedHashMap<>();
    try (AppendLog raw = AppendLog.open(file)) {
      for (String line : raw.recovered()) {
        Operation op = Json.decode(line, Operation.class);
        latest.put(op.uuid(), op);
      }
    }
    List<Operation> keep = new ArrayList<>(latest.values());
    keep.sort(Comparator.comparingLong(Operation::seq));
    List<Operation> finished = keep.stream().filter(o -> o.state().terminal()).toList();
    int drop = Math.max(0, finished.size() - KEEP_FINISHED);
    List<String> lines = new ArrayList<>();
    Map<String, Operation> kept = new LinkedHashMap<>();
    int dropped = 0;
    for (Operation o : keep) {
      if (o.state().terminal() && dropped < drop) {
        dropped++;
        continue;
      }
      kept.put(o.uuid(), o);
      lines.add(Json.encode(o));
    }
    AppendLog.rewrite(file, lines);
    return new OperationLog(AppendLog.open(file), kept);
  }

  /** The latest record of each operation found at open, in queue order. */
  public List<Operation> recovered() {
    List<Operation> out = new ArrayList<>(latest.values());
    out.sort(Comparator.comparingLong(Operation::seq));
    return out;
  }

  /** Appends a record; it is committed when this returns. */
  public void write(Operation op) throws IOException {
    log.append(Json.encode(op));
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
