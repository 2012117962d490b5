package io.storefleet.fabric.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Gives each server id to one live cluster member at a time. The claim is one entry of a
 * Hazelcast map taken with {@code putIfAbsent}, so of two workers starting at once exactly one
 * wins. An entry whose member has left the cluster (stopped, or killed and dropped after the
 * missed heartbeats) is taken over with a compare-and-set {@code replace}.
 *
 * <p>A SIGKILLed holder stays a member until its heartbeats are missed, so a holder still listed
 * is first asked over the event bus: a live one answers at once and the start is refused; one
 * that does not answer is waited for until the cluster drops it, which lets a restart right
 * after a kill go on as soon as the cluster notices. A holder not listed is asked as well before
 * its entry is taken over: it may be a live worker whose member id changed in a merge.
 *
 * <p>Hazelcast gives the members of a cluster that merges into another after a network split
 * new ids, so a claim would name an id that no longer exists. A held claim therefore listens for
 * the merge and re-asserts itself under the new id; if another live member took the id over
 * meanwhile, the holder is told through its {@code onLost} callback and must stop. Every method
 * blocks: call it from the starting thread, never from an event loop.
 */
public final class ServerIdClaims {
  private static final Logger LOG = Logger.getLogger(ServerIdClaims.class.getName());
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final Duration leaveWait;
  private final Clock clock;

  /**
   * @param leaveWait how long a silent holder that is still a member is waited for: more than
   *     the time the cluster takes to drop a dead member
   */
  public ServerIdClaims(ClusterNode node, Duration leaveWait, Clock clock) {
    this.vertx = node.vertx();
    this.hz = node.hazelcast();
    this.leaveWait = leaveWait;
    this.clock = clock;
  }

  /** A held claim; {@link #release()} gives the id back when the worker stops. */
  public final class Held {
    private final String serverId;
    private final Consumer<ServerIdInUseException> onLost;
    private volatile ServerIdClaim claim;
    private volatile String json;
    private final MessageConsumer<String> responder;
    private final UUID mergeListener;

    private Held(ServerIdClaim claim, String json, Consumer<ServerIdInUseException> onLost)
        throws InterruptedException {
      this.serverId = claim.serverId();
      this.claim = claim;
      this.json = json;
      this.onLost = onLost;
      this.responder = vertx.eventBus().<String>consumer(Addresses.serverIdHolder(serverId), msg -> msg.reply(this.json));
      // Wait until the cluster knows the address, so a worker started right after is answered.
      awaitQuietly(responder.completion().toCompletionStage().toCompletableFuture());
      this.mergeListener = hz.getLifecycleService().addLifecycleListener(e -> {
        if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
          // Map calls block: not on the Hazelcast thread that reports the merge.
          vertx.executeBlocking(() -> {
            reassert(this.json);
            return null;
          });
        }
      });
    }

    public ServerIdClaim claim() {
      return claim;
    }

    /** Gives the id back, unless another member already took it over. */
    public void release() {
      hz.getLifecycleService().removeLifecycleListener(mergeListener);
      responder.unregister();
      claims().remove(serverId, json);
    }

    /**
     * Writes this claim again under the local member's current id, replacing {@code previous}
     * (this claim as last written) or filling an empty entry. Another member's entry is taken
     * over only as {@link #claim} would; if that member is live, {@code onLost} is told.
     */
    void reassert(String previous) throws InterruptedException {
      ServerIdClaim now = asLocalMember(claim);
      String nowJson = Json.encode(now);
      IMap<String, String> claims = claims();
      try {
        while (true) {
          String entry = claims.get(serverId);
          if (nowJson.equals(entry) || (previous.equals(entry) ? claims.replace(serverId, previous, nowJson)
              : take(now, nowJson, Set.copyOf(List.of(claim.memberId(), now.memberId()))))) {
            claim = now;
            json = nowJson;
            LOG.info("server id " + serverId + " re-asserted after a cluster merge as member " + now.memberId());
            return;
          }
        }
      } catch (ServerIdInUseException e) {
        LOG.severe("server id " + serverId + " is now held by another member, which took it over while this"
            + " worker was split from the cluster: this worker stops. " + e.getMessage());
        onLost.accept(e);
      }
    }
  }

  /**
   * Claims {@code serverId} for this member.
   *
   * @param onLost told, on a Vert.x worker thread, when a cluster merge finds another live member
   *     holding the id; the holder must then stop serving
   * @throws ServerIdInUseException when a live member holds it
   */
  public Held claim(String serverId, String dataDir, Consumer<ServerIdInUseException> onLost)
      throws InterruptedException {
    ServerIdClaim mine = asLocalMember(new ServerIdClaim(serverId, "", "", ProcessHandle.current().pid(), dataDir,
        clock.instant()));
    String json = Json.encode(mine);
    while (!take(mine, json, Set.of())) {
      // Another starting worker took it over first: look at the new holder.
    }
    return new Held(mine, json, onLost);
  }

  private ServerIdClaim asLocalMember(ServerIdClaim c) {
    Member me = hz.getCluster().getLocalMember();
    return new ServerIdClaim(c.serverId(), me.getUuid().toString(),
        me.getAddress().getHost() + ":" + me.getAddress().getPort(), c.pid(), c.dataDir(), c.since());
  }

  /**
   * One attempt to write {@code json} as the entry of {@code mine}'s id: false when the entry
   * changed under it. Answers from {@code ownIds} (this worker's own responder) prove nothing.
   */
  private boolean take(ServerIdClaim mine, String json, Set<String> ownIds) throws InterruptedException {
    String serverId = mine.serverId();
    IMap<String, String> claims = claims();
    String held = claims.putIfAbsent(serverId, json);
    if (held == null) {
      return true;
    }
    ServerIdClaim holder = Json.decode(held, ServerIdClaim.class);
    // Not being listed is no proof: a merge gives a live holder a new member id.
    Optional<ServerIdClaim> answer = probe(holder, ownIds);
    if (answer.isPresent()) {
      throw new ServerIdInUseException(answer.get(), true);
    }
    if (isMember(holder.memberId())) {
      LOG.info("server id " + serverId + " is held by " + holder.describe()
          + ", which does not answer; waiting up to " + leaveWait.toSeconds() + " s for the cluster to drop it");
      if (!awaitLeft(holder.memberId())) {
        throw new ServerIdInUseException(holder, false);
      }
    }
    if (claims.replace(serverId, held, json)) {
      LOG.info("server id " + serverId + " taken over from " + holder.describe() + ", which left the cluster");
      return true;
    }
    return false;
  }

  private IMap<String, String> claims() {
    return hz.getMap(ClusterMaps.SERVER_IDS);
  }

  /**
   * Asks whoever answers on the id's holder address, skipping answers from {@code ownIds}: the
   * event bus hands requests to its handlers in turn, so the next try reaches another one.
   */
  private Optional<ServerIdClaim> probe(ServerIdClaim holder, Set<String> ownIds) throws InterruptedException {
    for (int i = 0; i < ownIds.size() + 2; i++) {
      var reply = vertx.eventBus()
          .<String>request(Addresses.serverIdHolder(holder.serverId()), holder.memberId(),
              new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT.toMillis()))
          .toCompletionStage().toCompletableFuture();
      try {
        ServerIdClaim answer = Json.decode(reply.get().body(), ServerIdClaim.class);
        if (!ownIds.contains(answer.memberId())) {
          return Optional.of(answer);
        }
      } catch (ExecutionException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private boolean isMember(String memberId) {
    for (Member m : hz.getCluster().getMembers()) {
      if (m.getUuid().toString().equals(memberId)) {
        return true;
      }
    }
    return false;
  }

  private boolean awaitLeft(String memberId) throws InterruptedException {
    CountDownLatch left = new CountDownLatch(1);
    UUID listener = hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {}

      @Override
      public void memberRemoved(MembershipEvent e) {
        if (e.getMember().getUuid().toString().equals(memberId)) {
          left.countDown();
        }
      }
    });
    try {
      return !isMember(memberId) || left.await(leaveWait.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      hz.getCluster().removeMembershipListener(listener);
    }
  }

  private static void awaitQuietly(CompletableFuture<Void> f) throws InterruptedException {
    try {
      f.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Only a later duplicate's answer is slower: it then waits for this member to leave, and is refused.
      LOG.warning("the holder address of server id was not confirmed by the cluster: " + e);
    }
  }
}
