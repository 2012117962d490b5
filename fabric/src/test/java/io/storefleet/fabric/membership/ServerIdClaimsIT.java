package io.storefleet.fabric.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Server-id claims between real Hazelcast members in one JVM. */
@Tag("cluster")
class ServerIdClaimsIT {
  private final ClusterSettings settings = ClusterSettings.loopback("sf-claims-" + UUID.randomUUID());
  private final List<ClusterNode> nodes = new ArrayList<>();
  private static final Consumer<ServerIdInUseException> NOT_LOST = e -> {
    throw new AssertionError("no claim is lost here", e);
  };

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

  private IMap<String, String> claims() {
    return nodes.get(0).hazelcast().getMap(ClusterMaps.SERVER_IDS);
  }

  /** The entry as a merge leaves it: the holder's claim under a member id that no longer exists. */
  private String renamedByMerge(ServerIdClaim c) {
    String stale = Json.encode(new ServerIdClaim(c.serverId(), UUID.randomUUID().toString(), c.address(), c.pid(),
        c.dataDir(), c.since()));
    claims().put(c.serverId(), stale);
    return stale;
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
        tries.add(pool.submit((Callable<ServerIdClaims.Held>) () -> m.claim("mbox1", dir, NOT_LOST)));
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
    ServerIdClaims.Held held = first.claim("mbox2", "/data/first", NOT_LOST);
    assertThrows(ServerIdInUseException.class, () -> stayer.claim("mbox2", "/data/stayer", NOT_LOST));

    held.release();
    ServerIdClaims.Held second = stayer.claim("mbox2", "/data/stayer", NOT_LOST);
    assertEquals("/data/stayer", second.claim().dataDir());

    // A member that leaves without giving its id back (its entry stays in the map).
    ServerIdClaims leaver = member();
    second.release();
    ServerIdClaims.Held left = leaver.claim("mbox2", "/data/leaver", NOT_LOST);
    nodes.remove(nodes.size() - 1).close().await();
    ServerIdClaims.Held after = stayer.claim("mbox2", "/data/again", NOT_LOST);
    assertEquals("/data/again", after.claim().dataDir());
    assertNotEquals(left.claim().memberId(), after.claim().memberId());
  }

  @Test
  void aHolderWhoseMemberIsNotListedIsStillAskedAndALiveOneKeepsItsId() throws Exception {
    ServerIdClaims holder = member();
    ServerIdClaims newcomer = member();
    ServerIdClaims.Held held = holder.claim("mbox3", "/data/holder", NOT_LOST);
    renamedByMerge(held.claim());

    ServerIdInUseException e = assertThrows(ServerIdInUseException.class,
        () -> newcomer.claim("mbox3", "/data/newcomer", NOT_LOST));
    assertTrue(e.answered(), "the holder answered on its address");
    assertEquals(held.claim(), e.holder());
  }

  @Test
  void aMergedHolderReassertsItsClaimUnderItsNewMemberId() throws Exception {
    ServerIdClaims holder = member();
    ServerIdClaims newcomer = member();
    ServerIdClaims.Held held = holder.claim("mbox4", "/data/holder", NOT_LOST);
    ServerIdClaim before = held.claim();
    String memberId = nodes.get(0).hazelcast().getCluster().getLocalMember().getUuid().toString();

    held.reassert(renamedByMerge(before));
    ServerIdClaim entry = Json.decode(claims().get("mbox4"), ServerIdClaim.class);
    assertEquals(memberId, entry.memberId(), "the entry names the holder's current member id again");
    assertEquals(before, entry);
    assertEquals(entry, held.claim());

    // The entry was lost in the merge: it is written again.
    String current = claims().get("mbox4");
    claims().remove("mbox4");
    held.reassert(current);
    assertEquals(current, claims().get("mbox4"));

    assertThrows(ServerIdInUseException.class, () -> newcomer.claim("mbox4", "/data/newcomer", NOT_LOST));
    held.release();
    assertEquals("/data/newcomer", newcomer.claim("mbox4", "/data/newcomer", NOT_LOST).claim().dataDir(),
        "the re-asserted claim is given back on release");
  }

  @Test
  void aMergedHolderWhoseIdALiveMemberTookOverIsToldToStop() throws Exception {
    ServerIdClaims holder = member();
    ServerIdClaims other = member();
    List<ServerIdInUseException> lost = new CopyOnWriteArrayList<>();
    ServerIdClaims.Held held = holder.claim("mbox5", "/data/holder", lost::add);
    // While split off, the other side lost the holder's entry and a worker there claimed the id.
    String mine = renamedByMerge(held.claim());
    claims().remove("mbox5");
    ServerIdClaims.Held taken = other.claim("mbox5", "/data/other", NOT_LOST);

    held.reassert(mine);
    assertEquals(1, lost.size(), "the merged holder is told to stop");
    assertTrue(lost.get(0).answered());
    assertEquals(taken.claim(), lost.get(0).holder());
    assertEquals(Json.encode(taken.claim()), claims().get("mbox5"), "the live holder keeps the id");
  }
}
