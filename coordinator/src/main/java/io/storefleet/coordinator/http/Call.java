package io.storefleet.coordinator.http;

import io.storefleet.coordinator.auth.Caller;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the audit trail will say about one API call, filled in as the call is served. */
final class Call {
  private static final String KEY = "storefleet.call";

  final Instant at;
  final String client;
  String what;
  Caller caller;
  /** The name of a revoked token that was refused, which is still worth recording. */
  String refusedName;
  ErrorCode error;
  /**
   * Checks the call's credential (its token, or its console session) again, as it stands now in
   * the cluster: for answers that outlive the call's start, such as a progress stream.
   */
  java.util.function.Supplier<io.vertx.core.Future<Caller>> credential;
  String operations;
  String server;

  private Call(Instant at, String client, String what) {
    this.at = at;
    this.client = client;
    this.what = what;
  }

  static Call start(RoutingContext ctx, Instant at) {
    var remote = ctx.request().remoteAddress();
    Call c = new Call(at, remote == null ? "-" : remote.hostAddress(),
        ctx.request().method() + " " + ctx.request().uri());
    ctx.put(KEY, c);
    return c;
  }

  /** The call being served, or null outside {@code /api/}. */
  static Call of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The caller; routes behind the gate always have one. */
  static Caller caller(RoutingContext ctx) {
    return of(ctx).caller;
  }

  /** Notes the operations and the serving worker a successful answer names. */
  void answered(Object result) {
    List<String> uuids = new ArrayList<>();
    if (result instanceof ApiResult r) {
      if (r.reply() != null) {
        server = r.reply().server();
        if (r.reply().operation() != null) {
          uuids.add(r.reply().operation().uuid());
        }
      }
      if (r.broadcast() != null) {
        for (ServerResult s : r.broadcast().results()) {
          if (s.ok() && s.reply().operation() != null) {
            uuids.add(s.reply().operation().uuid());
          }
        }
      }
    } else if (result instanceof ImportStatus s) {
      s.operations().stream().map(Operation::uuid).forEach(uuids::add);
    }
    if (!uuids.isEmpty()) {
      operations = String.join(",", uuids);
    }
  }

  AuditRecord record(int status, String coordinator) {
    AuditRecord.Outcome outcome = status < 400 && error == null ? AuditRecord.Outcome.ACCEPTED
        : error == ErrorCode.UNAUTHORIZED || error == ErrorCode.NOT_ALLOWED ? AuditRecord.Outcome.REFUSED
        : AuditRecord.Outcome.FAILED;
    String who = caller != null ? caller.name() : refusedName != null ? refusedName : "-";
    return new AuditRecord(at, who, caller == null ? null : caller.role(), what, coordinator, client, outcome,
        error == null ? (status < 400 ? null : "HTTP " + status) : error.name(), operations, null);
  }
}
