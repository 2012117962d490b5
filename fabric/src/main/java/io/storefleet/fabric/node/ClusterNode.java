package io.storefleet.fabric.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashSet;
import java.util.Set;

/**
 * A clustered Vert.x instance on Hazelcast, configured from {@link ClusterSettings}. The cluster
 * manager is passed explicitly: left to the service loader, Hazelcast would start with its
 * default multicast config and join whatever it finds on a real interface.
 */
public final class ClusterNode {
  private static final long MERGE_SEARCH_EXPIRY_MILLIS = 30_000;
  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** Starts a node and joins the cluster. */
  public static Future<ClusterNode> start(ClusterSettings settings) {
    HazelcastClusterManager mgr = new HazelcastClusterManager(HazelcastSettings.of(settings));
    VertxOptions opts =
        new VertxOptions()
            .setEventBusOptions(
                new EventBusOptions()
                    .setHost(settings.host())
                    .setClusterPublicHost(settings.host())
                    .setPort(0));
    return Vertx.builder()
        .with(opts)
        .withClusterManager(mgr)
        .buildClustered()
        .map(v -> {
          MergeSearch search = MergeSearch.install(mgr.getHazelcastInstance(), java.time.Clock.systemUTC());
          v.setPeriodic(MERGE_SEARCH_EXPIRY_MILLIS, t -> search.expire());
          return new ClusterNode(v, mgr);
        });
  }

  public Vertx vertx() {
    return vertx;
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
    return vertx.close();
  }
}
