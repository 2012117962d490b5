package io.storefleet.fabric.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.storefleet.fabric.directory.DepartureWatch;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.fabric.tls.CertificateWatch;
import io.storefleet.fabric.tls.EventBusTls;
import io.storefleet.fabric.tls.PemFiles;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import io.storefleet.fabric.tls.CertifiedClusterManager;
import java.util.Set;

/**
 * A clustered Vert.x instance on Hazelcast, configured from {@link ClusterSettings}. The cluster
 * manager is passed explicitly: left to the service loader, Hazelcast would start with its
 * default multicast config and join whatever it finds on a real interface.
 */
public final class ClusterNode {
  private static final long MERGE_SEARCH_EXPIRY_MILLIS = 30_000;
  /** How often a node looks for a rotated event-bus certificate. */
  public static final Duration CERTIFICATE_CHECK_PERIOD = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final CertificateWatch busCertificates;
  private final NodeMetrics metrics;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager, CertificateWatch busCertificates,
      NodeMetrics metrics) {
    this.vertx = vertx;
    this.manager = manager;
    this.busCertificates = busCertificates;
    this.metrics = metrics;
  }

  /**
   * Starts a node and joins the cluster. With TLS settings, the certificate files are read and
   * checked first (on the calling thread): a node whose certificate would be refused by its
   * peers fails here, naming the file, instead of joining and failing every message.
   */
  public static Future<ClusterNode> start(ClusterSettings settings) {
    PemFiles.Loaded tls;
    try {
      tls = settings.tls() == null ? null : settings.tls().load(Clock.systemUTC());
    } catch (IOException e) {
      return Future.failedFuture(new IllegalArgumentException("event-bus TLS: " + e.getMessage(), e));
    }
    Clock clock = Clock.systemUTC();
    NodeMetrics metrics = new NodeMetrics();
    if (tls == null) {
      HazelcastClusterManager mgr = new HazelcastClusterManager(HazelcastSettings.of(settings));
      return build(settings, mgr, null, metrics).map(v -> new ClusterNode(v, mgr, null, metrics));
    }
    AtomicReference<PemFiles.Loaded> inUse = new AtomicReference<>(tls);
    CertifiedClusterManager mgr = new CertifiedClusterManager(HazelcastSettings.of(settings), clock,
        () -> inUse.get().caCertificates());
    return build(settings, mgr, tls, metrics)
        .compose(v -> mgr.publish(tls).map(x -> v))
        .map(v -> new ClusterNode(v, mgr,
            new CertificateWatch(v, "event bus", settings.tls(), clock, tls,
                m -> EventBusTls.update(v, m).compose(x -> {
                  inUse.set(m);
                  return mgr.publish(m);
                })).start(CERTIFICATE_CHECK_PERIOD), metrics));
  }

  private static Future<Vertx> build(ClusterSettings settings, HazelcastClusterManager mgr, PemFiles.Loaded tls,
      NodeMetrics metrics) {
    EventBusOptions bus = new EventBusOptions()
        .setHost(settings.host())
        .setClusterPublicHost(settings.host())
        .setPort(0);
    if (tls != null) {
      EventBusTls.apply(bus, tls);
    }
    return Vertx.builder()
        .with(metrics.vertxOptions(new VertxOptions().setEventBusOptions(bus)))
        .withMetrics(metrics.vertxFactory())
        .withClusterManager(mgr)
        .buildClustered()
        .onFailure(e -> metrics.close())
        .map(v -> {
          MergeSearch search = MergeSearch.install(mgr.getHazelcastInstance(), java.time.Clock.systemUTC());
          v.setPeriodic(MERGE_SEARCH_EXPIRY_MILLIS, t -> search.expire());
          DepartureWatch.install(mgr.getHazelcastInstance(), v, java.time.Clock.systemUTC());
          return v;
        });
  }

  /** The event bus's certificate watch (what is in use, rotation now), empty on a plain event bus. */
  public Optional<CertificateWatch> busCertificates() {
    return Optional.ofNullable(busCertificates);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This node's metrics: Vert.x's, the JVM's, and those its worker or coordinator records. */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** The Hazelcast member under this node, for membership facts Vert.x does not expose. */
  public com.hazelcast.core.HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /** This node's cluster member id. */
  public String nodeId() {
    return manager.getNodeId();
  }

  /** The ids of the live cluster members. */
  public Set<String> liveNodes() {
    return new HashSet<>(manager.getNodes());
  }

  /** Leaves the cluster and closes Vert.x. */
  public Future<Void> close() {
    if (busCertificates != null) {
      busCertificates.stop();
    }
    return vertx.close().eventually(() -> {
      metrics.close();
      return Future.succeededFuture();
    });
  }
}
