package io.storefleet.coordinator.http;

import io.storefleet.coordinator.auth.Authenticator;
import io.storefleet.coordinator.auth.ConsoleSessions;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console: its pages (classpath {@code console/}, served at {@code /}) and its sign-in and
 * sign-out. A token posted to {@code /api/v1/session} becomes an HttpOnly, Secure, SameSite=Strict
 * session cookie, which {@link Gate} accepts as it accepts a bearer token, plus a CSRF token the
 * page reads from a second cookie and sends back in {@link #CSRF_HEADER} on every call that
 * changes something. The token itself is never kept by the browser nor put in a URL.
 */
final class ConsoleRoutes {
  static final String SESSION_COOKIE = "storefleet-session";
  static final String CSRF_COOKIE = "storefleet-csrf";
  static final String CSRF_HEADER = "X-Storefleet-CSRF";

  /** Pages load only what the coordinator serves: no other origin, no inline script, no framing. */
  private static final String CONTENT_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none';"
      + " form-action 'self'; base-uri 'none'";

  private final ConsoleSessions sessions;

  ConsoleRoutes(ConsoleSessions sessions) {
    this.sessions = sessions;
  }

  /** Sign-in: mounted before the gate authenticates, since it is where a token is first shown. */
  void mountSignIn(Router r) {
    r.post("/api/v1/session").handler(this::signIn);
  }

  /** Sign-out, behind the gate; and the pages, after every other route. */
  void mount(Router r) {
    r.delete("/api/v1/session").handler(this::signOut);
    r.route("/*").handler(ctx -> {
      if (!ctx.request().path().startsWith("/api/")) {
        ctx.response().putHeader("Content-Security-Policy", CONTENT_POLICY)
            .putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("Referrer-Policy", "no-referrer")
            .putHeader("Cache-Control", "no-cache");
      }
      ctx.next();
    });
    r.get("/*").handler(StaticHandler.create(FileSystemAccess.RELATIVE, "console").setCachingEnabled(false).setIncludeHidden(false));
  }

  private void signIn(RoutingContext ctx) {
    Call call = Call.of(ctx);
    call.what = "console sign-in";
    String type = ctx.request().getHeader("Content-Type");
    String token;
    try {
      // JSON only: a form on another site cannot post JSON without the browser asking first.
      if (type == null || !type.startsWith("application/json")) {
        throw ErrorCode.MALFORMED_REQUEST.exception("console sign-in takes a JSON body {\"token\": \"...\"}"
            + " with Content-Type: application/json");
      }
      String body = ctx.body().asString();
      token = Json.decode(body == null || body.isBlank() ? "{}" : body, SignIn.class).token();
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    sessions.signIn(token).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof Authenticator.Refused r) {
          call.refusedName = r.tokenName();
        }
        ErrorResponses.send(ctx, ar.cause());
        return;
      }
      ConsoleSessions.Opened s = ar.result();
      call.caller = s.caller();
      HttpServerResponse res = ctx.response();
      res.addCookie(cookie(SESSION_COOKIE, s.secret(), ConsoleSessions.LIFETIME.toSeconds()).setHttpOnly(true));
      // Readable by the page (not HttpOnly): it is worth nothing without the session cookie.
      res.addCookie(cookie(CSRF_COOKIE, s.csrf(), ConsoleSessions.LIFETIME.toSeconds()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", s.caller().name());
      body.put("role", s.caller().role());
      body.put("domains", s.caller().domains());
      body.put("csrf", s.csrf());
      res.putHeader("Content-Type", "application/json").end(Json.encode(body));
    });
  }

  private void signOut(RoutingContext ctx) {
    Call.of(ctx).what = "console sign-out";
    Cookie session = ctx.request().getCookie(SESSION_COOKIE);
    Future<Void> ended = session == null
        ? Future.failedFuture(ErrorCode.BAD_VALUE.exception("sign-out ends a console session; this call carried"
            + " a token, not a session cookie (revoke a token with 'storefleet tokens revoke <name>')"))
        : sessions.signOut(session.getValue());
    ended.onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(ctx, ar.cause());
        return;
      }
      ctx.response().addCookie(cookie(SESSION_COOKIE, "", 0).setHttpOnly(true))
          .addCookie(cookie(CSRF_COOKIE, "", 0))
          .putHeader("Content-Type", "application/json").end(Json.encode(Map.of("signedOut", true)));
    });
  }

  private static Cookie cookie(String name, String value, long maxAgeSeconds) {
    return Cookie.cookie(name, value).setPath("/").setSecure(true).setSameSite(CookieSameSite.STRICT)
        .setMaxAge(maxAgeSeconds);
  }

  /** The sign-in body. */
  record SignIn(String token) {}
}
