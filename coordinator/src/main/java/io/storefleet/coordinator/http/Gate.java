package io.storefleet.coordinator.http;

import io.storefleet.coordinator.audit.AuditTrail;
import io.storefleet.coordinator.auth.Authenticator;
import io.storefleet.coordinator.auth.Caller;
import io.storefleet.coordinator.auth.ConsoleSessions;
import io.storefleet.coordinator.auth.Permissions;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.Role;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The way into {@code /api/}: every call is authenticated by its token (or the console session made
 * with one) and, when it ends, however it ends, recorded in the audit trail.
 */
final class Gate {
  /** Methods that change nothing, so a session call needs no CSRF token for them. */
  private static final java.util.Set<HttpMethod> SAFE = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS);

  private final Authenticator authenticator;
  private final ConsoleSessions sessions;
  private final AuditTrail trail;
  private final Clock clock;
  private volatile String coordinator = "-";

  Gate(Authenticator authenticator, ConsoleSessions sessions, AuditTrail trail, Clock clock) {
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.trail = trail;
    this.clock = clock;
  }

  /** The coordinator's own name in the records, {@code host:port}, once it listens. */
  void listeningOn(String hostPort) {
    this.coordinator = hostPort;
  }

  /** First on every call: from here on, however the call ends, it is recorded. */
  /**
   * The call's raw credential (the Authorization header, else the console session secret, else
   * empty): what proves the caller, held by no cluster map.
   */
  public static String credential(RoutingContext ctx) {
    String bearer = ctx.request().getHeader("Authorization");
    Cookie session = sessionCookie(ctx, bearer);
    return bearer != null ? bearer : session != null ? session.getValue() : "";
  }

  private static Cookie sessionCookie(RoutingContext ctx, String bearer) {
    return bearer == null ? ctx.request().getCookie(ConsoleRoutes.SESSION_COOKIE) : null;
  }

  void open(RoutingContext ctx) {
    Call call = Call.start(ctx, clock.instant());
    ctx.addEndHandler(ended -> keep(call, ctx.response().getStatusCode()));
    ctx.next();
  }

  /**
   * After the body is read (Vert.x reads it only before anything asynchronous happens). A bearer
   * token wins; without one, the console's session cookie is the credential, with the same roles.
   */
  void authenticate(RoutingContext ctx) {
    Call call = Call.of(ctx);
    String bearer = ctx.request().getHeader("Authorization");
    Cookie session = sessionCookie(ctx, bearer);
    Future<Caller> caller = session == null ? authenticator.authenticate(bearer)
        : sessions.caller(session.getValue(), ctx.request().getHeader(ConsoleRoutes.CSRF_HEADER),
            !SAFE.contains(ctx.request().method()));
    call.credential = session == null ? () -> authenticator.authenticate(bearer)
        : () -> sessions.caller(session.getValue(), null, false);
    caller.onComplete(ar -> {
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
