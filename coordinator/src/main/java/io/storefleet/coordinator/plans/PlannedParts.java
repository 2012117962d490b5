package io.storefleet.coordinator.plans;

import io.storefleet.coordinator.aggregate.QueueAggregator;
import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.routing.CommandRouter;
import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.RequestId;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What planned imports and planned exports share: a plan is a list of parts, each one queued
 * command on one server carrying the plan's id ({@code plan}) and its place ({@code plan_part}).
 * The coordinator keeps nothing; it answers for a plan from those operations on the workers.
 */
public final class PlannedParts {
  /** One part: the command its server runs, and how a refusal names it ({@code <path> on <server>}). */
  public record Part(String server, ParsedCommand command, String describe) {}

  /** A plan's operations as found on the servers, and the servers that could not be asked. */
  public record Found(List<Operation> operations, List<ServerResult> unreachable) {}

  private final CommandRouter router;
  private final QueueAggregator queues;
  private final ServerLiveness liveness;

  public PlannedParts(CommandRouter router, ServerLiveness liveness) {
    this.router = router;
    this.queues = router.queues();
    this.liveness = liveness;
  }

  /**
   * The id of a plan: random, or, for a submission with a request id, the same for every repeat
   * of it, so that the repeated parts are the same commands and their servers answer them as
   * repeats. A malformed request id is MALFORMED_REQUEST.
   */
  public static String planId(String kind, String requestId) {
    String derived = RequestId.derived(RequestId.check(requestId), "plan");
    return kind + "-" + (derived == null ? UUID.randomUUID().toString() : derived);
  }

  /**
   * Queues the parts one after the other once every part's server is reachable. A part its
   * server refuses stops the parts queued before it, and the plan fails with that server's error,
   * naming the part ({@code what} names the plan: "import plan", "export plan"). Under a request
   * id each part is sent with an id of its own derived from it, so a repeat of the submission
   * queues nothing twice: every server answers its part with its first answer.
   */
  public Future<List<Operation>> queue(String what, List<Part> parts, String requester, String requestId) {
    Future<Void> reachable = Future.succeededFuture();
    for (Part p : parts) {
      reachable = reachable.compose(v -> liveness.reachable(p.server()).mapEmpty());
    }
    return reachable.compose(v -> queue(what, parts, 0, new ArrayList<>(), requester, requestId));
  }

  private Future<List<Operation>> queue(String what, List<Part> parts, int i, List<Operation> queued,
      String requester, String requestId) {
    if (i == parts.size()) {
      return Future.succeededFuture(queued);
    }
    Part part = parts.get(i);
    return router.route(part.command(), part.server(), requester, RequestId.derived(requestId, "part " + i))
        .compose(r -> {
          queued.add(r.reply().operation());
          return queue(what, parts, i + 1, queued, requester, requestId);
        }, err -> stopAll(queued, requester).compose(v -> Future.failedFuture(refused(what, i, part, queued, err))));
  }

  private Future<Void> stopAll(List<Operation> queued, String requester) {
    List<Future<?>> stops = new ArrayList<>();
    for (Operation op : queued) {
      CommandRequest stop = CommandRequest.of(BackupCommand.DO_STOP_OPERATION, Map.of("operation_uuid", op.uuid()),
          op.server(), requester);
      stops.add(queues.forOperation(op.uuid(), op.server(), stop).recover(e -> Future.succeededFuture()));
    }
    return Future.join(stops).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  private static Throwable refused(String what, int i, Part p, List<Operation> queued, Throwable err) {
    String message = "part " + (i + 1) + " of the " + what + " (" + p.describe() + ") was refused: "
        + err.getMessage() + (queued.isEmpty() ? "; nothing was queued"
            : "; the " + queued.size() + " part(s) queued before it were stopped (what a stopped part did stays,"
                + " and a new run of the plan skips it)");
    if (err instanceof StorefleetException se) {
      return new StorefleetException(se.code(), message, se.server());
    }
    return ErrorCode.INTERNAL.exception(message);
  }

  /** The plan's operations on every server, by the {@code plan} parameter they carry. */
  public Future<Found> find(String planId, String requester) {
    return queues.all(true, requester).map(t -> new Found(
        t.operations().stream().filter(o -> planId.equals(o.params().get("plan"))).toList(), t.unreachable()));
  }

  /**
   * The plan as one result, from its parts' operations on every server; {@code UNKNOWN_OPERATION}
   * with {@code unknown} as message when every server answered and none knows it.
   */
  public Future<ImportStatus> status(String planId, String requester, PlanResult.Summary summary, String unknown) {
    return find(planId, requester).compose(f -> f.operations().isEmpty() && f.unreachable().isEmpty()
        ? Future.failedFuture(ErrorCode.UNKNOWN_OPERATION.exception(unknown))
        : Future.succeededFuture(PlanResult.combine(planId, f.operations(), f.unreachable(), summary)));
  }
}
