package io.storefleet.fabric.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.node.ClusterSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Server-id claims between real Hazelcast members in one JVM. */
@Tag("cluster")
class ServerIdClaimsIT {
  private final ClusterSettings settings = ClusterSettings.loopback("sf-claims-" + UUID.randomUUID());
  private final List<ClusterNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    for (ClusterNode n : nodes) {
      n.close().await();
    }
  }

  private ServerIdClaims member() {
    ClusterNode node = ClusterNode.start(settings).await();
    nodes.add(node);
    return new ServerIdClaims(node, Duration.ofSeconds(15), Clock.systemUTC());
  }

  @Test
  void ofTwoMembersClaimingOneIdAtOnceExactlyOneWinsAndTheOtherIsToldWho() throws Exception {
    List<ServerIdClaims> members = List.of(member(), member(), member());
    ExecutorService pool = Executors.newFixedThreadPool(members.size());
    try {
      List<Future<ServerIdClaims.Held>> tries = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        ServerIdClaims m = members.get(i);
        String dir = "/data/" + i;
        tries.add(pool.submit((Callable<ServerIdClaims.Held>) () -> m.claim("mbox1", dir)));
      }
      List<ServerIdClaims.Held> won = new ArrayList<>();
      List<ServerIdInUseException> refused = new ArrayList<>();
      for (Future<ServerIdClaims.Held> t : tries) {
        try {
          won.add(t.get());
        } catch (ExecutionException e) {
          refused.add((ServerIdInUseException) e.getCause());
        }
      }
      assertEquals(1, won.size(), "exactly one member holds the id");
      assertEquals(2, refused.size());
      for (ServerIdInUseException r : refused) {
        assertEquals(won.get(0).claim(), r.holder(), "the refusal names the winner");
        assertTrue(r.getMessage().contains("data dir " + won.get(0).claim().dataDir()), r.getMessage());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aReleasedClaimOrOneWhoseMemberLeftIsTakenByTheNextWorker() throws Exception {
    ServerIdClaims stayer = member();
    ServerIdClaims first = member();
    ServerIdClaims.Held held = first.claim("mbox2", "/data/first");
    assertThrows(ServerIdInUseException.class, () -> stayer.claim("mbox2", "/data/stayer"));

    held.release();
    ServerIdClaims.Held second = stayer.claim("mbox2", "/data/stayer");
    assertEquals("/data/stayer", second.claim().dataDir());

    // A member that leaves without giving its id back (its entry stays in the map).
    ServerIdClaims leaver = member();
    second.release();
    ServerIdClaims.Held left = leaver.claim("mbox2", "/data/leaver");
    nodes.remove(nodes.size() - 1).close().await();
    ServerIdClaims.Held after = stayer.claim("mbox2", "/data/again");
    assertEquals("/data/again", after.claim().dataDir());
    assertNotEquals(left.claim().memberId(), after.claim().memberId());
  }
}
