package io.storefleet.coordinator.http;

import static io.storefleet.coordinator.http.JsonAnswers.decoded;
import static io.storefleet.coordinator.http.JsonAnswers.json;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.auth.Caller;
import io.storefleet.coordinator.auth.Permissions;
import io.storefleet.coordinator.exports.PlannedExports;
import io.storefleet.coordinator.imports.PlannedImports;
import io.storefleet.coordinator.routing.CommandRouter;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.CommandSubmission;
import io.storefleet.protocol.wire.RequestId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import io.storefleet.fabric.tls.CertificateFacts;
import io.storefleet.fabric.tls.PemFiles;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's HTTP JSON API and the web console. Every route under {@code /api/} needs a
 * token as {@code Authorization: Bearer <token>} (or the console's session cookie) whose role covers
 * it, and is recorded in the audit trail ({@link Gate}); {@code /health} and {@code /metrics} need
 * none. See docs/protocol.md for the routes and docs/security.md for roles.
 */
public final class ApiServer {
  /** Where {@link #describe} leaves the decoded command for {@link #submit}. */
  private static final String SUBMISSION = "storefleet.submission";

  private final Vertx vertx;
  private final CommandParser parser = new CommandParser();
  private final CommandRouter router;
  private final ClusterDirectory directory;
  private final ServerLiveness liveness;
  private final ProgressStream progress;
  private final PlannedImports imports;
  private final PlannedExports exports;
  private final Gate gate;
  private final AccessRoutes access;
  private final ConsoleRoutes console;
  private final Permissions permissions;
  private HttpServer server;
  private volatile CertificateFacts certificate;
  private io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> metrics;

  public ApiServer(Vertx vertx, CommandRouter router, ClusterDirectory directory, ServerLiveness liveness,
      PlannedImports imports, PlannedExports exports, Access security) {
    this.imports = imports;
    this.exports = exports;
    this.vertx = vertx;
    this.router = router;
    this.directory = directory;
    this.liveness = liveness;
    this.progress = new ProgressStream(vertx, router.queues());
    io.storefleet.coordinator.auth.ConsoleSessions sessions = new io.storefleet.coordinator.auth.ConsoleSessions(
        directory, security.authenticator(), security.clock());
    this.gate = new Gate(security.authenticator(), sessions, security.trail(), security.clock());
    this.console = new ConsoleRoutes(sessions);
    this.access = new AccessRoutes(security.tokens(), security.trail(),
        new io.storefleet.coordinator.requests.KeptAnswers(directory, security.clock()));
    this.permissions = security.permissions();
  }

  /** Tokens, roles and the audit trail, as the API uses them. */
  public record Access(io.storefleet.coordinator.auth.Authenticator authenticator, Permissions permissions,
      io.storefleet.coordinator.auth.TokenAdmin tokens, io.storefleet.coordinator.audit.AuditTrail trail,
      java.time.Clock clock) {}

  /**
   * Serves {@code GET /metrics} with {@code scrape}, which checks its own access (a viewer token
   * by default) and is not recorded in the audit trail; call before {@link #listen}.
   */
  public ApiServer serveMetrics(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> scrape) {
    this.metrics = scrape;
    return this;
  }

  /** Listens on {@code host:port} with plain HTTP (port 0 picks a free one); completes with the bound port. */
  public Future<Integer> listen(String host, int port) {
    return listen(host, port, null);
  }

  /** Listens with HTTPS serving {@code tls}, or plain HTTP when it is null. */
  public Future<Integer> listen(String host, int port, PemFiles.Loaded tls) {
    certificate = tls == null ? null : tls.leaf();
    Router r = Router.router(vertx);
    r.get("/health").handler(this::health);
    if (metrics != null) {
      r.get("/metrics").handler(ctx -> metrics.handle(ctx.request()));
    }
    r.route("/api/*").handler(gate::open);
    r.route("/api/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    r.route("/api/*").failureHandler(ErrorResponses::failed);
    // The command line is known before the token is checked, so a refused command is recorded as typed.
    r.post("/api/v1/commands").handler(this::describe);
    console.mountSignIn(r);
    r.route("/api/*").handler(gate::authenticate);
    access.mount(r);
    r.post("/api/v1/commands").handler(this::submit);
    r.get("/api/v1/servers").handler(Gate.needs(Role.VIEWER, "listing servers"))
        .handler(ctx -> json(ctx, liveness.serversWithHealth()));
    r.get("/api/v1/certificates").handler(Gate.needs(Role.VIEWER, "listing certificates"))
        .handler(ctx -> json(ctx, new CertificateReport(directory, liveness, () -> certificate,
            java.time.Clock.systemUTC()).now()));
    r.get("/api/v1/accounts/:name").handler(Gate.needs(Role.VIEWER, "whereis")).handler(this::whereis);
    r.get("/api/v1/operations").handler(needs("getAllOperations"))
        .handler(ctx -> json(ctx, router.queues().all("true".equals(ctx.queryParams().get("verbose")), requester(ctx))));
    r.get("/api/v1/operations/:uuid").handler(needs("monitor")).handler(ctx -> operation(ctx, "monitor"));
    r.delete("/api/v1/operations/:uuid").handler(needs("doStopOperation"))
        .handler(ctx -> operation(ctx, "doStopOperation"));
    r.get("/api/v1/operations/:uuid/events").handler(needs("monitor")).handler(ctx -> {
      Call.of(ctx).operations = ctx.pathParam("uuid");
      progress.handle(ctx, requester(ctx), Call.of(ctx).credential);
    });
    r.post("/api/v1/imports").handler(needs("doExternalRestore"))
        .handler(ctx -> decoded(ctx, ImportPlan.class, p -> imports.submit(p, requester(ctx))));
    r.get("/api/v1/imports/:plan").handler(needs("getAllOperations"))
        .handler(ctx -> json(ctx, imports.status(ctx.pathParam("plan"), requester(ctx))));
    r.post("/api/v1/exports").handler(needs("doExport"))
        .handler(ctx -> decoded(ctx, ExportPlan.class, p -> exports.submit(p, requester(ctx))));
    r.get("/api/v1/exports/:plan").handler(needs("getAllOperations"))
        .handler(ctx -> json(ctx, exports.status(ctx.pathParam("plan"), requester(ctx))));
    console.mount(r);
    return vertx.createHttpServer(HttpTransport.serverOptions(tls)).requestHandler(r).listen(port, host).map(s -> {
      server = s;
      gate.listeningOn(host + ":" + s.actualPort());
      return s.actualPort();
    });
  }

  /** A route that needs what a catalogued backup command needs. */
  private static io.vertx.core.Handler<RoutingContext> needs(String backupCommand) {
    CommandSpec spec = Catalogue.get().backup(backupCommand).orElseThrow();
    return Gate.needs(spec.role(), "backup " + spec.name());
  }

  /** Serves a new certificate to connections opened from now on (a rotation without a restart). */
  public Future<Void> updateCertificate(PemFiles.Loaded tls) {
    return server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(tls.keyCert()), true)
        .map(x -> {
          certificate = tls.leaf();
          return null;
        });
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void health(RoutingContext ctx) {
    liveness.servers().onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(Json.encode(Map.of("status", "DOWN", "reason", String.valueOf(ar.cause().getMessage()))));
        return;
      }
      long up = ar.result().stream().filter(s -> Boolean.TRUE.equals(s.reachable())).count();
      Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("status", "UP", "servers", ar.result().size(),
          "reachable", up));
      CertificateFacts c = certificate;
      if (c != null) {
        // The fingerprint is what a CLI pins on first use: an operator compares it here.
        body.put("certificate", c);
      }
      ctx.response().putHeader("Content-Type", "application/json").end(Json.encode(body));
    });
  }

  private void describe(RoutingContext ctx) {
    try {
      CommandSubmission sub = Json.decode(ctx.body().asString(), CommandSubmission.class);
      ctx.put(SUBMISSION, sub);
      Module module = Module.fromWord(sub.module() == null ? "backup" : sub.module());
      if (module != null && sub.args() != null && !sub.args().isEmpty()) {
        Call.of(ctx).what = CommandLine.of(module, sub.args(), blankToNull(sub.target()));
      }
    } catch (RuntimeException e) {
      // Unreadable: the record keeps the method and path, and submit answers the error.
    }
    ctx.next();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private void submit(RoutingContext ctx) {
    CommandSubmission sub = ctx.get(SUBMISSION);
    try {
      if (sub == null) {
        // describe could not read it: decoding again gives the error to answer.
        sub = Json.decode(ctx.body().asString(), CommandSubmission.class);
      }
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    String moduleWord = sub.module() == null ? "backup" : sub.module();
    Module module = Module.fromWord(moduleWord);
    if (module == null || sub.args() == null || sub.args().isEmpty() || sub.args().contains(null)) {
      ErrorResponses.send(ctx, ErrorCode.MALFORMED_REQUEST.exception(
          "a command needs {\"module\": \"backup\"|\"admin\", \"args\": [command, arguments...],"
              + " \"target\": server|\"all_servers\"|null}"));
      return;
    }
    String target = blankToNull(sub.target());
    List<String> args = List.copyOf(sub.args());
    Caller caller = Call.caller(ctx);
    ParsedCommand cmd;
    String requestId;
    try {
      requestId = RequestId.check(sub.requestId());
      // The role first, so that a refusal does not depend on (or reveal how) the arguments parse.
      Permissions.command(caller, parser.lookup(module, args.get(0)));
      cmd = parser.parse(module, args);
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    json(ctx, permissions.names(caller, cmd).compose(v -> router.route(cmd, target, caller.name(), requestId)));
  }

  private void whereis(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    json(ctx, permissions.account(Call.caller(ctx), name).compose(v -> directory.locate(name)).compose(loc -> loc
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ErrorCode.UNKNOWN_ACCOUNT.exception(
            "account " + name + " does not exist on any server of the cluster")))));
  }

  private void operation(RoutingContext ctx, String command) {
    String uuid = ctx.pathParam("uuid");
    Call.of(ctx).operations = uuid;
    String requestId;
    try {
      requestId = requestId(ctx);
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    CommandRequest req = new CommandRequest(
        "backup", command, Map.of("operation_uuid", uuid), null, null, requester(ctx), requestId);
    json(ctx, router.queues().forOperation(uuid, ctx.queryParams().get("server"), req)
        .map(reply -> reply.result()));
  }

  /**
   * The request id of a call without body (a {@code DELETE}): its {@code requestId} query
   * parameter, under the same name as in a body; null without one.
   */
  static String requestId(RoutingContext ctx) {
    return RequestId.check(ctx.queryParams().get("requestId"));
  }

  /** The requester of everything a call does: its token's name, never anything the client says. */
  private static String requester(RoutingContext ctx) {
    return Call.caller(ctx).name();
  }
}
