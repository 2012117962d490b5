package io.storefleet.fabric.node;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.cluster.Joiner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps Hazelcast's split-brain search short, so that a member dropped while paused or cut off
 * is merged back within seconds of being reachable.
 *
 * <p>Each cluster's master searches for the other side every {@link HazelcastSettings#MERGE_CHECK}
 * by asking every address the TCP join member list expands to, one after the other, and waits up
 * to 5 s for a connection to each. A member given as a host alone expands to 20 ports, most of them
 * closed, so one search took a minute or more. While a member that left is remembered (for
 * {@link #DEPARTED_KEPT} after it left), the list the search reads is therefore the exact
 * addresses of the members that left; otherwise it is the configured list again, so two
 * clusters that never met still find each other, slowly. The join at start reads the configured
 * list before this is installed.
 */
final class MergeSearch implements MembershipListener {
  /** How long the address of a member that left is searched for in preference to the configured list. */
  static final Duration DEPARTED_KEPT = Duration.ofMinutes(15);

  private final JoinConfig join;
  private final List<String> configured;
  private final Clock clock;
  private final Consumer<Address> unblacklist;
  /** Address of each member that left, with when it left; guarded by {@code this}. */
  private final Map<String, Instant> departed = new LinkedHashMap<>();

  /**
   * @param unblacklist takes an address off the joiner's blacklist: a joiner that once met a
   *     member of another cluster there (ports are reused, on a test machine above all) skips it
   *     for good, even after a member of this cluster came to live at it
   */
  MergeSearch(JoinConfig join, Clock clock, Consumer<Address> unblacklist) {
    this.join = join;
    this.configured = List.copyOf(join.getTcpIpConfig().getMembers());
    this.clock = clock;
    this.unblacklist = unblacklist;
  }

  /** Starts watching {@code hz}'s members; the list is kept until the instance ends. */
  static MergeSearch install(HazelcastInstance hz, Clock clock) {
    MergeSearch s = new MergeSearch(hz.getConfig().getNetworkConfig().getJoin(), clock, unblacklister(hz));
    hz.getCluster().addMembershipListener(s);
    return s;
  }

  /** The joiner's unblacklist, reached through Hazelcast's implementation classes; a no-op without them. */
  private static Consumer<Address> unblacklister(HazelcastInstance hz) {
    if (hz instanceof HazelcastInstanceProxy proxy) {
      Joiner joiner = proxy.getOriginal().node.getJoiner();
      if (joiner != null) {
        return joiner::unblacklist;
      }
    }
    return a -> { };
  }

  @Override
  public synchronized void memberAdded(MembershipEvent e) {
    departed.remove(address(e.getMember()));
    unblacklist.accept(e.getMember().getAddress());
    apply();
  }

  @Override
  public synchronized void memberRemoved(MembershipEvent e) {
    departed.put(address(e.getMember()), clock.instant());
    unblacklist.accept(e.getMember().getAddress());
    apply();
  }

  /** Forgets members that left longer ago than {@link #DEPARTED_KEPT}; called periodically. */
  synchronized void expire() {
    Instant oldest = clock.instant().minus(DEPARTED_KEPT);
    departed.values().removeIf(t -> t.isBefore(oldest));
    apply();
  }

  /** The member list the next search reads. */
  synchronized List<String> searchList() {
    return departed.isEmpty() ? configured : new ArrayList<>(departed.keySet());
  }

  private void apply() {
    List<String> want = searchList();
    TcpIpConfig now = join.getTcpIpConfig();
    if (!want.equals(now.getMembers())) {
      // A new object, not the list changed in place: the search reads the list on its own thread.
      TcpIpConfig next = new TcpIpConfig().setEnabled(now.isEnabled())
          .setConnectionTimeoutSeconds(now.getConnectionTimeoutSeconds()).setMembers(want);
      if (now.getRequiredMember() != null) {
        next.setRequiredMember(now.getRequiredMember());
      }
      join.setTcpIpConfig(next);
    }
  }

  static String address(Member m) {
    Address a = m.getAddress();
    String host = a.getHost();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
