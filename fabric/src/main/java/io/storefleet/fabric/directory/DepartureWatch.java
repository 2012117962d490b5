package io.storefleet.fabric.directory;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
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

  private final ClusterDirectory directory;
  private final Clock clock;

  DepartureWatch(ClusterDirectory directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  /** Starts watching {@code hz}'s members until the instance ends. */
  public static void install(HazelcastInstance hz, ClusterDirectory directory, Clock clock) {
    hz.getCluster().addMembershipListener(new DepartureWatch(directory, clock));
  }

  @Override
  public void memberAdded(MembershipEvent e) {}

  @Override
  public void memberRemoved(MembershipEvent e) {
    String nodeId = e.getMember().getUuid().toString();
    // The time is taken on Hazelcast's event thread, as it reports the removal; the map calls are
    // asynchronous and must not hold that thread.
    directory.recordDeparture(nodeId, clock.instant()).onFailure(err -> LOG.log(Level.FINE,
        "the departure of member " + nodeId + " was not recorded by this member (another one records it too)", err));
  }
}
