package io.storefleet.coordinator.http;

import io.storefleet.coordinator.audit.AuditTrail;
import io.storefleet.coordinator.auth.Authenticator;
import io.storefleet.coordinator.auth.Permissions;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The way into {@code /api/}: every call is authenticated by its token and, when it ends, however
 * it ends, recorded in the audit trail.
 */
final class Gate {
  private final Authenticator authenticator;
  private final AuditTrail trail;
  private final Clock clock;
  private volatile String coordinator = "-";

  Gate(Authenticator authenticator, AuditTrail trail, Clock clock) {
    this.authenticator = authenticator;
    this.trail = trail;
    this.clock = clock;
  }

  /** The coordinator's own name in the records, {@code host:port}, once it listens. */
  void listeningOn(String hostPort) {
    this.coordinator = hostPort;
  }

  /** First on every call: from here on, however the call ends, it is recorded. */
  void open(RoutingContext ctx) {
    Call call = Call.start(ctx, clock.instant());
    ctx.addEndHandler(ended -> keep(call, ctx.response().getStatusCode()));
    ctx.next();
  }

  /** After the body is read (Vert.x reads it only before anything asynchronous happens). */
  void authenticate(RoutingContext ctx) {
    Call call = Call.of(ctx);
    authenticator.authenticate(ctx.request().getHeader("Authorization")).onComplete(ar -> {
      if (ar.succeeded()) {
        call.caller = ar.result();
        ctx.next();
        return;
      }
      if (ar.cause() instanceof Authenticator.Refused r) {
        call.refusedName = r.tokenName();
      }
      ErrorResponses.send(ctx, ar.cause());
    });
  }

  /** A route handler that lets the call through only if the caller's role includes {@code needed}. */
  static Handler<RoutingContext> needs(Role needed, String what) {
    return ctx -> {
      try {
        Permissions.require(Call.caller(ctx), needed, what);
      } catch (RuntimeException e) {
        ErrorResponses.send(ctx, e);
        return;
      }
      ctx.next();
    };
  }

  private void keep(Call call, int status) {
    AuditRecord record = call.record(status, coordinator);
    trail.keep(record, call.server).onFailure(err ->
        // The answer has gone out; the one place left to say the record is missing is the log.
        System.err.println("storefleet coordinator: AUDIT RECORD NOT KEPT for " + record.what() + " by "
            + record.who() + ": " + err.getMessage()));
  }
}
