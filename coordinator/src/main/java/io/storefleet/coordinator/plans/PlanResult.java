package io.storefleet.coordinator.plans;

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
 * One result from the parts of a plan: their operations reduced to one state, one set of
 * counters and one verdict. What a part's counters mean is the plan kind's {@link Summary}.
 */
public final class PlanResult {
  /** How a kind of plan words its verdict. */
  public interface Summary {
    /** The verdict's first words, e.g. "Planned import". */
    String title();

    /** What one part did, from its operation's counters, e.g. " (5 restored, 0 skipped, 0 unrestored)", or "". */
    String part(Operation op);

    /** What all the parts did together, once every part has ended. */
    String total(Map<String, Long> counters);
  }

  private PlanResult() {}

  /** The kind named by a plan id, {@code <kind>-<uuid>}. */
  public static String kindOf(String planId) {
    int dash = planId.indexOf('-');
    return dash > 0 ? planId.substring(0, dash) : "";
  }

  public static ImportStatus combine(String planId, List<Operation> found, List<ServerResult> unreachable,
      Summary summary) {
    List<Operation> ops = new ArrayList<>(found);
    ops.sort(Comparator.comparingInt(PlanResult::partIndex).thenComparing(Operation::server));
    int parts = ops.stream().mapToInt(PlanResult::partCount).max().orElse(0);
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
          + (s != null ? summary.part(op) : ""));
    }
    for (ServerResult r : unreachable) {
      each.add(r.server() + " could not be asked (" + r.error().message() + ")");
    }
    if (missing && unreachable.isEmpty()) {
      each.add((parts - ops.size()) + " part(s) not found on any server");
    }
    String verdict = summary.title() + " " + planId + ": " + state + " — " + String.join("; ", each)
        + (allEnded ? ". In all: " + summary.total(counters) + "." : ".");
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
