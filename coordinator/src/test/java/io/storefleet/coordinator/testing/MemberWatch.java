package io.storefleet.coordinator.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which members joined and left the cluster while it watched, as a coordinator sees it. A process
 * that left (by its own leave, or at the latest by Hazelcast's JVM shutdown hook) is gone at
 * once; one that did not leave at all is only dropped after its missed heartbeats, so one gone
 * within half that time left. That the worker's own code left before it exited is shown by its
 * "left the cluster" log line, which the tests check as well.
 */
public final class MemberWatch implements AutoCloseable {
  private final HazelcastInstance hz;
  private final Duration dropTime;
  private final Set<UUID> joined = ConcurrentHashMap.newKeySet();
  private final Set<UUID> removed = ConcurrentHashMap.newKeySet();
  private final UUID listener;

  MemberWatch(HazelcastInstance hz, Duration dropTime) {
    this.hz = hz;
    this.dropTime = dropTime;
    this.listener = hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        joined.add(e.getMember().getUuid());
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        removed.add(e.getMember().getUuid());
      }
    });
  }

  /** Call right after the process exited: it joined, and left instead of waiting to be dropped. */
  public void assertJoinedAndLeft() {
    await().atMost(dropTime.dividedBy(2)).until(() -> !joined.isEmpty() && removed.containsAll(joined));
  }

  /** The process never joined the cluster. */
  public void assertNoneJoined() {
    assertTrue(joined.isEmpty(), "members joined: " + joined);
    assertEquals(Set.of(), removed);
  }

  @Override
  public void close() {
    hz.getCluster().removeMembershipListener(listener);
  }
}
