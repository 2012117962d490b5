package io.storefleet.coordinator;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.audit.AuditTrail;
import io.storefleet.coordinator.auth.AdminToken;
import io.storefleet.coordinator.auth.Authenticator;
import io.storefleet.coordinator.auth.Permissions;
import io.storefleet.coordinator.auth.TokenAdmin;
import io.storefleet.coordinator.http.ApiServer;
import io.storefleet.coordinator.exports.PlannedExports;
import io.storefleet.coordinator.imports.PlannedImports;
import io.storefleet.coordinator.plans.PlannedParts;
import io.storefleet.coordinator.routing.CommandRouter;
import io.storefleet.coordinator.shares.ClusterShares;
import io.storefleet.fabric.bus.AccessClient;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A coordinator: stateless, it keeps nothing that is not in the cluster directory or on a
 * worker, so any number of them may run against the same workers.
 */
public final class CoordinatorNode {
  private final ApiServer api;
  private final int port;

  private CoordinatorNode(ApiServer api, int port) {
    this.api = api;
    this.port = port;
  }

  public static Future<CoordinatorNode> start(Vertx vertx, Supplier<Set<String>> liveNodes, CoordinatorConfig config) {
    ClusterDirectory directory = new ClusterDirectory(vertx);
    ServerLiveness liveness = new ServerLiveness(directory, liveNodes, Clock.systemUTC());
    WorkerClient client = new WorkerClient(vertx, config.requestTimeout());
    CommandRouter router = new CommandRouter(directory, liveness, client,
        new ClusterShares(vertx, liveness, client, config.requestTimeout()));
    Clock clock = Clock.systemUTC();
    AccessClient access = new AccessClient(vertx, config.requestTimeout());
    TokenAdmin tokens = new TokenAdmin(directory, liveness, access, clock);
    ApiServer.Access security = new ApiServer.Access(new Authenticator(directory), new Permissions(directory),
        tokens, new AuditTrail(liveness, access), clock);
    return vertx
        .executeBlocking(() -> AdminToken.loadOrCreate(config.tokenFile()))
        .compose(tokens::bootstrap)
        .compose(admin -> {
          PlannedParts plans = new PlannedParts(router, liveness);
          ApiServer api = new ApiServer(vertx, router, directory, liveness, new PlannedImports(plans),
              new PlannedExports(plans, directory, liveness), security);
          return api.listen(config.httpHost(), config.httpPort()).map(p -> new CoordinatorNode(api, p));
        });
  }

  /** The port the API listens on. */
  public int port() {
    return port;
  }

  public Future<Void> stop() {
    return api.close();
  }
}
