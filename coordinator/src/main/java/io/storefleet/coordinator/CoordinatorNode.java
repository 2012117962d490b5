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
import io.storefleet.coordinator.routing.RoutingMetrics;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.fabric.metrics.ScrapeAccess;
import io.storefleet.fabric.metrics.ScrapeHandler;
import io.storefleet.coordinator.shares.ClusterShares;
import io.storefleet.fabric.bus.AccessClient;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Set;
import java.util.Optional;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.tls.CertificateFacts;
import io.storefleet.fabric.tls.CertificateWatch;
import java.util.function.Supplier;

/**
 * A coordinator: stateless, it keeps nothing that is not in the cluster directory or on a
 * worker, so any number of them may run against the same workers.
 */
public final class CoordinatorNode {
  private final ApiServer api;
  private final int port;
  private final CertificateWatch certificates;

  private CoordinatorNode(ApiServer api, int port, CertificateWatch certificates) {
    this.api = api;
    this.port = port;
    this.certificates = certificates;
  }

  public static Future<CoordinatorNode> start(Vertx vertx, Supplier<Set<String>> liveNodes, CoordinatorConfig config) {
    return start(vertx, liveNodes, config, new NodeMetrics(), ScrapeAccess.Mode.TOKEN);
  }

  /**
   * A coordinator that records its routing in {@code metrics} (its cluster node's) and serves them
   * at {@code /metrics} to the scrapes {@code access} lets in.
   */
  public static Future<CoordinatorNode> start(Vertx vertx, Supplier<Set<String>> liveNodes, CoordinatorConfig config,
      NodeMetrics metrics, ScrapeAccess.Mode metricsAccess) {
    ClusterDirectory directory = new ClusterDirectory(vertx);
    ServerLiveness liveness = new ServerLiveness(directory, liveNodes, Clock.systemUTC());
    WorkerClient client = new WorkerClient(vertx, config.requestTimeout());
    CommandRouter router = new CommandRouter(directory, liveness, client,
        new ClusterShares(vertx, liveness, config.requestTimeout()), new RoutingMetrics(metrics));
    Clock clock = Clock.systemUTC();
    AccessClient access = new AccessClient(vertx, config.requestTimeout());
    TokenAdmin tokens = new TokenAdmin(directory, liveness, access, clock);
    ApiServer.Access security = new ApiServer.Access(new Authenticator(directory), new Permissions(directory),
        tokens, new AuditTrail(liveness, access), clock);
    return vertx
        .executeBlocking(() -> AdminToken.loadOrCreate(config.tokenFile()))
        .compose(tokens::bootstrap)
        .compose(admin -> vertx.<Optional<io.storefleet.fabric.tls.PemFiles.Loaded>>executeBlocking(() -> Optional.ofNullable(config.transport().prepare(config.httpHost(), clock))))
        .compose(tls -> {
          PlannedParts plans = new PlannedParts(router, liveness);
          ApiServer api = new ApiServer(vertx, router, directory, liveness, new PlannedImports(plans),
              new PlannedExports(plans, directory, liveness), security)
              .serveMetrics(new ScrapeHandler(vertx, metrics, new ScrapeAccess(metricsAccess, directory)));
          return api.listen(config.httpHost(), config.httpPort(), tls.orElse(null)).map(p -> new CoordinatorNode(api, p,
              tls.map(t -> new CertificateWatch(vertx, "HTTP API", config.transport().files(), clock, t,
                  api::updateCertificate).start(ClusterNode.CERTIFICATE_CHECK_PERIOD)).orElse(null)));
        });
  }

  /** The port the API listens on. */
  public int port() {
    return port;
  }

  /** The HTTPS certificate in use (what the CLI pins), empty for plain HTTP. */
  public Optional<CertificateFacts> certificate() {
    return Optional.ofNullable(certificates).map(CertificateWatch::certificate);
  }

  /** The HTTPS certificate watch, to rotate now rather than at the next check; empty for plain HTTP. */
  public Optional<CertificateWatch> certificates() {
    return Optional.ofNullable(certificates);
  }

  public Future<Void> stop() {
    if (certificates != null) {
      certificates.stop();
    }
    return api.close();
  }
}
