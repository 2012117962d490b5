package io.storefleet.coordinator.exports;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.plans.PlannedParts;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * Planned exports: a domain whose accounts live on several servers is exported from every server
 * that holds part of it, one doExport per server carrying the plan's id, answered for as one
 * result. The parts are found from the cluster directory when the plan is submitted; like a
 * planned import, the plan lives only in its parts' operation records on the workers.
 */
public final class PlannedExports {
  private final PlannedParts parts;
  private final ClusterDirectory directory;
  private final ServerLiveness liveness;

  public PlannedExports(PlannedParts parts, ClusterDirectory directory, ServerLiveness liveness) {
    this.parts = parts;
    this.directory = directory;
    this.liveness = liveness;
  }

  /** Finds the servers that hold the domains, then queues one part on each (a refusal stops them all). */
  public Future<ImportStatus> submit(ExportPlan plan, String requester) {
    String planId;
    try {
      planId = PlannedParts.planId("export", plan.requestId());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<List<ServerInfo>> servers = liveness.serversNow();
    Future<List<AccountLocation>> accounts = directory.accounts();
    return Future.all(servers, accounts)
        .map(v -> {
          ExportPlanCheck.requireEveryLiveServersEntries(servers.result(), accounts.result());
          return ExportPlanCheck.parts(plan, planId, accounts.result());
        })
        .compose(each -> parts.queue("export plan", each, requester, plan.requestId()))
        .map(ops -> ExportResult.combine(planId, ops, List.of()));
  }

  /** The plan as one result, from its parts' operations on every server. */
  public Future<ImportStatus> status(String planId, String requester) {
    return parts.status(planId, requester, ExportResult.SUMMARY, "export plan " + planId + " is not known on any"
        + " server; a plan id looks like export-<uuid>, as POST /api/v1/exports answered");
  }
}
