package io.storefleet.coordinator.imports;

import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.protocol.wire.ServerResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result from the parts of a planned import: their operations (found on their servers by
 * the {@code plan} parameter) reduced to one state, one set of counters and one verdict.
 */
final class ImportResult {
  private ImportResult() {}

  /** The kind named by a plan id, {@code <kind>-<uuid>}. */
  static String kindOf(String planId) {
    int dash = planId.indexOf('-');
    return dash > 0 ? planId.substring(0, dash) : "";
  }

  static ImportStatus combine(String planId, List<Operation> found, List<ServerResult> unreachable) {
    List<Operation> ops = new ArrayList<>(found);
    ops.sort(Comparator.comparingInt(ImportResult::partIndex).thenComparing(Operation::server));
    int parts = ops.stream().mapToInt(ImportResult::partCount).max().orElse(0);
    // A part not found while every server answered was never queued (or its record is gone): it
    // will not end by itself, so the plan counts as failed rather than running for ever.
    boolean missing = ops.size() < parts;
    boolean allEnded = unreachable.isEmpty() && ops.stream().allMatch(o -> o.state().terminal());
    String state;
    int exit;
    if (allEnded && missing) {
      state = OperationState.FAILED.name();
      exit = OperationState.FAILED.exitCode();
    } else if (allEnded) {
      OperationState worst = ops.stream().map(Operation::state)
          .max(Comparator.comparingInt(OperationState::exitCode)).orElse(OperationState.SUCCEEDED);
      state = worst.name();
      exit = worst.exitCode();
    } else {
      state = ops.stream().allMatch(o -> o.state() == OperationState.QUEUED) && unreachable.isEmpty()
          ? OperationState.QUEUED.name() : OperationState.RUNNING.name();
      exit = -1;
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    List<Unrestored> unrestored = new ArrayList<>();
    List<String> each = new ArrayList<>();
    for (Operation op : ops) {
      OperationStats s = op.stats();
      if (s != null) {
        s.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        unrestored.addAll(s.unrestored());
      }
      each.add("part " + op.params().getOrDefault("plan_part", "?") + " on " + op.server() + " " + op.state()
          + (s != null && s.counters().containsKey("restoredItems")
              ? " (" + s.counter("restoredItems") + " restored, " + s.counter("skippedItems") + " skipped, "
                  + s.counter("unrestoredItems") + " unrestored)" : ""));
    }
    for (ServerResult r : unreachable) {
      each.add(r.server() + " could not be asked (" + r.error().message() + ")");
    }
    if (missing && unreachable.isEmpty()) {
      each.add((parts - ops.size()) + " part(s) not found on any server");
    }
    String verdict = "Planned import " + planId + ": " + state + " — " + String.join("; ", each)
        + (allEnded ? ". In all: " + counters.getOrDefault("restoredItems", 0L) + " item(s) restored, "
            + counters.getOrDefault("skippedItems", 0L) + " skipped, " + counters.getOrDefault("unrestoredItems", 0L)
            + " unrestored." : ".");
    return new ImportStatus(planId, kindOf(planId), state, exit, parts, ops, unreachable,
        new OperationStats(counters, unrestored, verdict));
  }

  private static int partIndex(Operation op) {
    return number(op, 0);
  }

  private static int partCount(Operation op) {
    return number(op, 1);
  }

  private static int number(Operation op, int which) {
    String p = op.params().get("plan_part");
    try {
      return Integer.parseInt(p.split("/")[which]);
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
