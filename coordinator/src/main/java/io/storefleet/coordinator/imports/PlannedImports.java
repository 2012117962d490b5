package io.storefleet.coordinator.imports;

import io.storefleet.coordinator.plans.PlannedParts;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.parse.ParsedCommand;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Planned imports: the coordinator checks a plan, queues each part (a doExternalRestore carrying
 * the plan's id) on its server, and later answers for the plan as a whole from those operations.
 * It keeps nothing itself: the plan lives in its parts' operation records on the workers.
 */
public final class PlannedImports {
  private final PlannedParts parts;

  public PlannedImports(PlannedParts parts) {
    this.parts = parts;
  }

  /**
   * Checks the plan and queues its parts one after the other. A part its server refuses stops the
   * parts queued before it, and the plan fails with that server's error, naming the part.
   */
  public Future<ImportStatus> submit(ImportPlan plan, String requester) {
    String kind = plan.kind() == null ? "" : plan.kind().toLowerCase(Locale.ROOT);
    String planId;
    List<ParsedCommand> commands;
    try {
      planId = PlannedParts.planId(kind, plan.requestId());
      commands = ImportPlanCheck.parsed(plan, planId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    List<PlannedParts.Part> each = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      ImportPart p = plan.parts().get(i);
      each.add(new PlannedParts.Part(p.server(), commands.get(i), p.sourcePath() + " on " + p.server()));
    }
    return parts.queue("import plan", each, requester, plan.requestId())
        .map(ops -> ImportResult.combine(planId, ops, List.of()));
  }

  /** The plan as one result, from its parts' operations on every server. */
  public Future<ImportStatus> status(String planId, String requester) {
    return parts.status(planId, requester, ImportResult.SUMMARY, "import plan " + planId + " is not known on any"
        + " server; a plan id looks like mirror-<uuid> or composite-<uuid>, as POST /api/v1/imports answered");
  }
}
