package io.storefleet.coordinator.imports;

import io.storefleet.coordinator.plans.PlanResult;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.wire.ServerResult;
import java.util.List;
import java.util.Map;

/**
 * One result from the parts of a planned import: their operations (found on their servers by
 * the {@code plan} parameter) reduced to one state, one set of counters and one verdict.
 */
final class ImportResult implements PlanResult.Summary {
  static final ImportResult SUMMARY = new ImportResult();

  private ImportResult() {}

  /** The kind named by a plan id, {@code <kind>-<uuid>}. */
  static String kindOf(String planId) {
    return PlanResult.kindOf(planId);
  }

  static ImportStatus combine(String planId, List<Operation> found, List<ServerResult> unreachable) {
    return PlanResult.combine(planId, found, unreachable, SUMMARY);
  }

  @Override
  public String title() {
    return "Planned import";
  }

  @Override
  public String part(Operation op) {
    OperationStats s = op.stats();
    return s.counters().containsKey("restoredItems") ? " (" + s.counter("restoredItems") + " restored, "
        + s.counter("skippedItems") + " skipped, " + s.counter("unrestoredItems") + " unrestored)" : "";
  }

  @Override
  public String total(Map<String, Long> counters) {
    return counters.getOrDefault("restoredItems", 0L) + " item(s) restored, "
        + counters.getOrDefault("skippedItems", 0L) + " skipped, " + counters.getOrDefault("unrestoredItems", 0L)
        + " unrestored";
  }
}
