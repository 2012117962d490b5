package io.storefleet.coordinator.exports;

import io.storefleet.coordinator.plans.PlanResult;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.wire.ServerResult;
import java.util.List;
import java.util.Map;

/**
 * One result from the parts of a planned export, and what to do with its folders: each is the
 * export of one server, imported with its own doExternalRestore (or as one part each of
 * {@code storefleet import composite}).
 */
final class ExportResult implements PlanResult.Summary {
  static final ExportResult SUMMARY = new ExportResult();

  private ExportResult() {}

  static ImportStatus combine(String planId, List<Operation> found, List<ServerResult> unreachable) {
    return PlanResult.combine(planId, found, unreachable, SUMMARY);
  }

  @Override
  public String title() {
    return "Planned export";
  }

  @Override
  public String part(Operation op) {
    OperationStats s = op.stats();
    if (!s.counters().containsKey("accountsExported")) {
      return "";
    }
    return " (" + (s.counter("accountsExported") + s.counter("accountsResumed")) + " account(s), "
        + s.counter("itemsExported") + " item(s) in " + op.params().getOrDefault("destination_path", "?") + ")";
  }

  @Override
  public String total(Map<String, Long> counters) {
    return (counters.getOrDefault("accountsExported", 0L) + counters.getOrDefault("accountsResumed", 0L))
        + " account(s) and " + counters.getOrDefault("itemsExported", 0L) + " item(s) exported, one folder per server;"
        + " import each folder with doExternalRestore (or all of them with 'storefleet import composite', one part"
        + " per folder)";
  }
}
