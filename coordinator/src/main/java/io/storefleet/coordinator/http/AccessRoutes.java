package io.storefleet.coordinator.http;

import static io.storefleet.coordinator.http.JsonAnswers.decoded;
import static io.storefleet.coordinator.http.JsonAnswers.json;

import io.storefleet.coordinator.audit.AuditTrail;
import io.storefleet.coordinator.auth.Caller;
import io.storefleet.coordinator.auth.TokenAdmin;
import io.storefleet.coordinator.requests.KeptAnswers;
import io.storefleet.protocol.access.AuditQuery;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The routes of tokens and the audit trail (admin only), and {@code whoami}. */
final class AccessRoutes {
  private final TokenAdmin tokens;
  private final AuditTrail trail;
  private final KeptAnswers requests;

  /** @param requests keeps the answers of token changes made under a request id, for their repeats */
  AccessRoutes(TokenAdmin tokens, AuditTrail trail, KeptAnswers requests) {
    this.tokens = tokens;
    this.trail = trail;
    this.requests = requests;
  }

  void mount(Router r) {
    r.get("/api/v1/whoami").handler(ctx -> json(ctx, Future.succeededFuture(Call.caller(ctx))));
    r.route("/api/v1/tokens*").handler(Gate.needs(Role.ADMIN, "token management"));
    r.post("/api/v1/tokens").handler(ctx -> decoded(ctx, TokenRequest.class, req -> {
      String what = "tokens create " + req.name() + " " + req.role()
          + (req.domains() == null || req.domains().isEmpty() ? "" : " domains " + String.join(",", req.domains()));
      Call.of(ctx).what = what;
      Caller caller = Call.caller(ctx);
      return requests.once(req.requestId(), Gate.credential(ctx), caller.name(), what, TokenChange.class, () -> tokens.create(req, caller));
    }));
    r.get("/api/v1/tokens").handler(ctx -> json(ctx, tokens.list()));
    r.delete("/api/v1/tokens/:name").handler(ctx -> {
      String what = "tokens revoke " + ctx.pathParam("name");
      Call.of(ctx).what = what;
      Caller caller = Call.caller(ctx);
      json(ctx, requests.once(ctx.queryParams().get("requestId"), Gate.credential(ctx), caller.name(), what, TokenChange.class,
          () -> tokens.revoke(ctx.pathParam("name"), caller)));
    });
    r.get("/api/v1/audit").handler(Gate.needs(Role.ADMIN, "reading the audit trail"));
    r.get("/api/v1/audit").handler(ctx -> {
      AuditQuery q;
      try {
        q = query(ctx.queryParams());
      } catch (RuntimeException e) {
        ErrorResponses.send(ctx, e);
        return;
      }
      json(ctx, trail.query(q));
    });
  }

  private static AuditQuery query(MultiMap p) {
    String outcome = p.get("outcome");
    AuditRecord.Outcome o = null;
    if (outcome != null) {
      try {
        o = AuditRecord.Outcome.valueOf(outcome.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ErrorCode.BAD_VALUE.exception("audit outcome '" + outcome + "' is not one of "
            + List.of(AuditRecord.Outcome.values()).toString().toLowerCase(java.util.Locale.ROOT));
      }
    }
    int limit;
    try {
      limit = p.get("limit") == null ? 0 : Integer.parseInt(p.get("limit"));
    } catch (NumberFormatException e) {
      throw ErrorCode.BAD_VALUE.exception("audit limit '" + p.get("limit") + "' is not a whole number");
    }
    return new AuditQuery(p.get("who"), p.get("contains"), o, instant(p, "since"), instant(p, "until"), limit);
  }

  private static Instant instant(MultiMap p, String name) {
    String v = p.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ErrorCode.BAD_VALUE.exception("audit " + name + " '" + v + "' is not an instant like 2026-12-07T10:00:00Z");
    }
  }
}
