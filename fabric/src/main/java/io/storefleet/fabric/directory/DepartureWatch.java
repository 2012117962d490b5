package io.storefleet.fabric.directory;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records in the directory when the cluster noticed a member leave, for the servers it served, so
 * a server is shown unreachable since that moment rather than since its worker's last report.
 * Every member watches: the record is made while any member is left to see the removal, whether
 * or not a coordinator runs then.
 */
public final class DepartureWatch implements MembershipListener {
  private static final Logger LOG = Logger.getLogger(DepartureWatch.class.getName());

  /** The member attribute under which vertx-hazelcast keeps a member's Vert.x node id. */
  static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Vertx vertx;
  private final ClusterDirectory directory;
  private final Clock clock;

  DepartureWatch(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.directory = new ClusterDirectory(vertx);
    this.clock = clock;
  }

  /** Starts watching the members of {@code hz}, under {@code vertx}, until the instance ends. */
  public static void install(HazelcastInstance hz, Vertx vertx, Clock clock) {
    hz.getCluster().addMembershipListener(new DepartureWatch(vertx, clock));
  }

  @Override
  public void memberAdded(MembershipEvent e) {}

  @Override
  public void memberRemoved(MembershipEvent e) {
    // Servers are registered under the Vert.x node id, which vertx-hazelcast keeps as a member
    // attribute; it is not the Hazelcast member uuid.
    String nodeId = e.getMember().getAttribute(VERTX_NODE_ID);
    if (nodeId == null) {
      return;
    }
    // The time is taken on Hazelcast's event thread, as it reports the removal. The map calls run
    // on a Vert.x context, as for every other caller of the directory.
    java.time.Instant noticedAt = clock.instant();
    try {
      vertx.runOnContext(v -> directory.recordDeparture(nodeId, noticedAt)
          .onFailure(err -> notRecorded(nodeId, err)));
    } catch (RuntimeException err) {
      // This member is closing too (its Vert.x refuses new work): the members that stay record it.
      notRecorded(nodeId, err);
    }
  }

  private static void notRecorded(String nodeId, Throwable err) {
    LOG.log(Level.FINE, "the departure of member " + nodeId + " was not recorded by this member (every member"
        + " records it)", err);
  }
}
