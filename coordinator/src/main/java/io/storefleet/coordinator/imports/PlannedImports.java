package io.storefleet.coordinator.imports;

import io.storefleet.coordinator.aggregate.QueueAggregator;
import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.routing.CommandRouter;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Planned imports: the coordinator checks a plan, queues each part (a doExternalRestore carrying
 * the plan's id) on its server, and later answers for the plan as a whole from those operations.
 * It keeps nothing itself: the plan lives in its parts' operation records on the workers.
 */
public final class PlannedImports {
  private final CommandRouter router;
  private final QueueAggregator queues;
  private final ServerLiveness liveness;

  public PlannedImports(CommandRouter router, ServerLiveness liveness) {
    this.router = router;
    this.queues = router.queues();
    this.liveness = liveness;
  }

  /**
   * Checks the plan and queues its parts one after the other. A part its server refuses stops the
   * parts queued before it, and the plan fails with that server's error, naming the part.
   */
  public Future<ImportStatus> submit(ImportPlan plan, String requester) {
    String kind = plan.kind() == null ? "" : plan.kind().toLowerCase(Locale.ROOT);
    String planId = kind + "-" + UUID.randomUUID();
    List<ParsedCommand> commands;
    try {
      commands = ImportPlanCheck.parsed(plan, planId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<Void> reachable = Future.succeededFuture();
    for (ImportPart p : plan.parts()) {
      reachable = reachable.compose(v -> liveness.reachable(p.server()).mapEmpty());
    }
    return reachable.compose(v -> queue(plan, commands, 0, new ArrayList<>(), requester))
        .map(ops -> ImportResult.combine(planId, ops, List.of()));
  }

  private Future<List<Operation>> queue(ImportPlan plan, List<ParsedCommand> commands, int i, List<Operation> queued,
      String requester) {
    if (i == commands.size()) {
      return Future.succeededFuture(queued);
    }
    ImportPart part = plan.parts().get(i);
    return router.route(commands.get(i), part.server(), requester)
        .compose(r -> {
          queued.add(r.reply().operation());
          return queue(plan, commands, i + 1, queued, requester);
        }, err -> stopAll(queued, requester).compose(v -> Future.failedFuture(refused(i, plan, queued, err))));
  }

  private Future<Void> stopAll(List<Operation> queued, String requester) {
    List<Future<?>> stops = new ArrayList<>();
    for (Operation op : queued) {
      CommandRequest stop = new CommandRequest("backup", "doStopOperation", Map.of("operation_uuid", op.uuid()),
          op.server(), null, requester);
      stops.add(queues.forOperation(op.uuid(), op.server(), stop).recover(e -> Future.succeededFuture()));
    }
    return Future.join(stops).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  private static Throwable refused(int i, ImportPlan plan, List<Operation> queued, Throwable err) {
    ImportPart p = plan.parts().get(i);
    String what = "part " + (i + 1) + " of the import plan (" + p.sourcePath() + " on " + p.server() + ") was refused: "
        + err.getMessage() + (queued.isEmpty() ? "; nothing was queued"
            : "; the " + queued.size() + " part(s) queued before it were stopped (what a stopped part imported stays,"
                + " and a new run of the plan skips it)");
    if (err instanceof StorefleetException se) {
      return new StorefleetException(se.code(), what, se.server());
    }
    return ErrorCode.INTERNAL.exception(what);
  }

  /** The plan as one result, from its parts' operations on every server. */
  public Future<ImportStatus> status(String planId, String requester) {
    return queues.all(true, requester).compose(t -> {
      List<Operation> parts = t.operations().stream()
          .filter(o -> planId.equals(o.params().get("plan"))).toList();
      if (parts.isEmpty() && t.unreachable().isEmpty()) {
        return Future.failedFuture(ErrorCode.UNKNOWN_OPERATION.exception("import plan " + planId + " is not known on"
            + " any server; a plan id looks like mirror-<uuid> or composite-<uuid>, as POST /api/v1/imports answered"));
      }
      return Future.succeededFuture(ImportResult.combine(planId, parts, t.unreachable()));
    });
  }
}
