package io.storefleet.coordinator.http;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.auth.AdminToken;
import io.storefleet.coordinator.exports.PlannedExports;
import io.storefleet.coordinator.imports.PlannedImports;
import io.storefleet.coordinator.routing.CommandRouter;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.CommandSubmission;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's HTTP JSON API. Every route but {@code /health} needs the admin token as
 * {@code Authorization: Bearer <token>}. See docs/protocol.md for the routes.
 */
public final class ApiServer {
  static final String REQUESTER_HEADER = "X-Storefleet-Requester";

  private final Vertx vertx;
  private final AdminToken token;
  private final CommandRouter router;
  private final ClusterDirectory directory;
  private final ServerLiveness liveness;
  private final ProgressStream progress;
  private final PlannedImports imports;
  private final PlannedExports exports;
  private HttpServer server;

  public ApiServer(Vertx vertx, AdminToken token, CommandRouter router, ClusterDirectory directory,
      ServerLiveness liveness, PlannedImports imports, PlannedExports exports) {
    this.imports = imports;
    this.exports = exports;
    this.vertx = vertx;
    this.token = token;
    this.router = router;
    this.directory = directory;
    this.liveness = liveness;
    this.progress = new ProgressStream(vertx, router.queues());
  }

  /** Listens on {@code host:port} (port 0 picks a free one); completes with the bound port. */
  public Future<Integer> listen(String host, int port) {
    Router r = Router.router(vertx);
    r.get("/health").handler(this::health);
    r.route("/api/*").handler(this::authorize);
    r.route("/api/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
    r.post("/api/v1/commands").handler(this::submit);
    r.get("/api/v1/servers").handler(ctx -> json(ctx, liveness.serversNow()));
    r.get("/api/v1/accounts/:name").handler(this::whereis);
    r.get("/api/v1/operations").handler(ctx -> json(ctx,
        router.queues().all("true".equals(ctx.queryParams().get("verbose")), requester(ctx))));
    r.get("/api/v1/operations/:uuid").handler(ctx -> operation(ctx, "monitor"));
    r.delete("/api/v1/operations/:uuid").handler(ctx -> operation(ctx, "doStopOperation"));
    r.get("/api/v1/operations/:uuid/events").handler(ctx -> progress.handle(ctx, requester(ctx)));
    r.post("/api/v1/imports").handler(ctx -> decoded(ctx, ImportPlan.class, p -> imports.submit(p, requester(ctx))));
    r.get("/api/v1/imports/:plan").handler(ctx -> json(ctx, imports.status(ctx.pathParam("plan"), requester(ctx))));
    r.post("/api/v1/exports").handler(ctx -> decoded(ctx, ExportPlan.class, p -> exports.submit(p, requester(ctx))));
    r.get("/api/v1/exports/:plan").handler(ctx -> json(ctx, exports.status(ctx.pathParam("plan"), requester(ctx))));
    return vertx.createHttpServer().requestHandler(r).listen(port, host).map(s -> {
      server = s;
      return s.actualPort();
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
      ctx.response().putHeader("Content-Type", "application/json").end(Json.encode(
          Map.of("status", "UP", "servers", ar.result().size(), "reachable", up)));
    });
  }

  private void authorize(RoutingContext ctx) {
    if (token.accepts(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ErrorResponses.send(ctx, ErrorCode.UNAUTHORIZED.exception(
        "missing or wrong admin token; send 'Authorization: Bearer <token>' with the token from the"
            + " coordinator's token file (STOREFLEET_TOKEN_FILE)"));
  }

  private void submit(RoutingContext ctx) {
    CommandSubmission sub;
    try {
      sub = Json.decode(ctx.body().asString(), CommandSubmission.class);
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    String moduleWord = sub.module() == null ? "backup" : sub.module();
    Module module = Module.fromWord(moduleWord);
    if (module == null || sub.args() == null || sub.args().isEmpty()) {
      ErrorResponses.send(ctx, ErrorCode.MALFORMED_REQUEST.exception(
          "a command needs {\"module\": \"backup\"|\"admin\", \"args\": [command, arguments...],"
              + " \"target\": server|\"all_servers\"|null}"));
      return;
    }
    String target = sub.target() == null || sub.target().isBlank() ? null : sub.target();
    json(ctx, router.submit(module, List.copyOf(sub.args()), target, requester(ctx)));
  }

  /** Decodes the body as {@code type} and answers what {@code handler} makes of it. */
  private static <T> void decoded(RoutingContext ctx, Class<T> type, java.util.function.Function<T, Future<?>> handler) {
    T body;
    try {
      body = Json.decode(ctx.body().asString(), type);
    } catch (RuntimeException e) {
      ErrorResponses.send(ctx, e);
      return;
    }
    json(ctx, handler.apply(body));
  }

  private void whereis(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    json(ctx, directory.locate(name).compose(loc -> loc
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ErrorCode.UNKNOWN_ACCOUNT.exception(
            "account " + name + " does not exist on any server of the cluster")))));
  }

  private void operation(RoutingContext ctx, String command) {
    String uuid = ctx.pathParam("uuid");
    CommandRequest req = new CommandRequest(
        "backup", command, Map.of("operation_uuid", uuid), null, null, requester(ctx));
    json(ctx, router.queues().forOperation(uuid, ctx.queryParams().get("server"), req)
        .map(reply -> reply.result()));
  }

  private static String requester(RoutingContext ctx) {
    String r = ctx.request().getHeader(REQUESTER_HEADER);
    return r == null || r.isBlank() ? "admin" : r;
  }

  private static void json(RoutingContext ctx, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponses.send(ctx, ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(Json.encode(ar.result()));
      }
    });
  }
}
