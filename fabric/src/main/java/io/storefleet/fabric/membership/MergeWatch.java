package io.storefleet.fabric.membership;

import com.hazelcast.core.LifecycleEvent;
import io.storefleet.fabric.node.ClusterNode;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Tells a member's own code when it has merged back into the cluster. A member that was paused
 * (a long GC, SIGSTOP, a stalled VM) or cut off long enough to be dropped forms a cluster of its
 * own; Hazelcast's split-brain check later merges it into the other side, and the merging
 * member's map entries are then settled by merge policy, not by what it knows to be true. Vert.x
 * puts its own event-bus subscriptions back at that moment; what a worker publishes (its
 * directory entries) is put back by the handler given here.
 */
public final class MergeWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MergeWatch.class.getName());

  private final ClusterNode node;
  private final UUID listener;

  private MergeWatch(ClusterNode node, UUID listener) {
    this.node = node;
    this.listener = listener;
  }

  /**
   * Runs {@code onMerged} on a Vert.x context after each merge, never on Hazelcast's own thread
   * (the handler may use the cluster maps, which must not be called from there).
   */
  public static MergeWatch start(ClusterNode node, Runnable onMerged) {
    Vertx vertx = node.vertx();
    UUID id = node.hazelcast().getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
        LOG.info("member " + node.nodeId() + " merged back into the cluster");
        vertx.runOnContext(v -> onMerged.run());
      }
    });
    return new MergeWatch(node, id);
  }

  @Override
  public void close() {
    node.hazelcast().getLifecycleService().removeLifecycleListener(listener);
  }
}
