package io.storefleet.fabric.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.TcpIpConfig;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MergeSearchTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };
  private final JoinConfig join =
      new JoinConfig().setTcpIpConfig(new TcpIpConfig().setEnabled(true).setMembers(List.of("10.0.0.1", "10.0.0.2")));
  private final List<Address> unblacklisted = new java.util.ArrayList<>();
  private final MergeSearch search = new MergeSearch(join, clock, unblacklisted::add);

  @Test
  void searchesTheExactAddressesOfMembersThatLeftThenTheConfiguredListAgain() throws Exception {
    search.memberAdded(event("10.0.0.2", 5701, MembershipEvent.MEMBER_ADDED));
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), members(), "nobody left: the configured list");

    search.memberRemoved(event("10.0.0.2", 5701, MembershipEvent.MEMBER_REMOVED));
    now = now.plusSeconds(60);
    search.memberRemoved(event("10.0.0.3", 5703, MembershipEvent.MEMBER_REMOVED));
    assertEquals(List.of("10.0.0.2:5701", "10.0.0.3:5703"), members());

    search.memberAdded(event("10.0.0.2", 5701, MembershipEvent.MEMBER_ADDED));
    assertEquals(List.of("10.0.0.3:5703"), members(), "a member back is no longer searched for");

    now = now.plus(MergeSearch.DEPARTED_KEPT);
    search.expire();
    assertEquals(List.of("10.0.0.3:5703"), members(), "kept for the whole period");
    now = now.plusSeconds(1);
    search.expire();
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), members(), "forgotten after it");
  }

  @Test
  void keepsTheRestOfTheTcpJoinSettings() throws Exception {
    search.memberRemoved(event("10.0.0.2", 5701, MembershipEvent.MEMBER_REMOVED));
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.2:5701"), members());
  }

  @Test
  void takesEveryMemberThatCameOrLeftOffTheJoinersBlacklist() throws Exception {
    search.memberAdded(event("10.0.0.2", 5701, MembershipEvent.MEMBER_ADDED));
    search.memberRemoved(event("10.0.0.3", 5703, MembershipEvent.MEMBER_REMOVED));
    assertEquals(List.of(new Address("10.0.0.2", 5701), new Address("10.0.0.3", 5703)), unblacklisted);
  }

  @Test
  void bracketsAnIpv6Host() throws Exception {
    search.memberRemoved(event("::1", 5705, MembershipEvent.MEMBER_REMOVED));
    assertEquals(List.of("[::1]:5705"), search.searchList());
    assertEquals(Duration.ofMinutes(15), MergeSearch.DEPARTED_KEPT);
  }

  private List<String> members() {
    return join.getTcpIpConfig().getMembers();
  }

  private static MembershipEvent event(String host, int port, int type) throws Exception {
    MemberImpl m = new MemberImpl.Builder(new Address(host, port)).uuid(UUID.randomUUID()).build();
    // The event's source is never read by MergeSearch; Hazelcast only requires one.
    Cluster source = (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class},
        (proxy, method, args) -> {
          throw new UnsupportedOperationException(method.getName());
        });
    return new MembershipEvent(source, m, type, Set.of(m));
  }
}
