package io.storefleet.fabric.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * after a kill go on as soon as the cluster notices. Every method blocks: call it from the
 * starting thread, never from an event loop.
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
    private final ServerIdClaim claim;
    private final String json;
    private final MessageConsumer<String> responder;

    private Held(ServerIdClaim claim, String json, MessageConsumer<String> responder) {
      this.claim = claim;
      this.json = json;
      this.responder = responder;
    }

    public ServerIdClaim claim() {
      return claim;
    }

    /** Gives the id back, unless another member already took it over. */
    public void release() {
      responder.unregister();
      claims().remove(claim.serverId(), json);
    }
  }

  /**
   * Claims {@code serverId} for this member.
   *
   * @throws ServerIdInUseException when a live member holds it
   */
  public Held claim(String serverId, String dataDir) throws InterruptedException {
    Member me = hz.getCluster().getLocalMember();
    ServerIdClaim mine = new ServerIdClaim(serverId, me.getUuid().toString(),
        me.getAddress().getHost() + ":" + me.getAddress().getPort(), ProcessHandle.current().pid(), dataDir,
        clock.instant());
    String json = Json.encode(mine);
    IMap<String, String> claims = claims();
    while (true) {
      String held = claims.putIfAbsent(serverId, json);
      if (held == null) {
        return hold(mine, json);
      }
      ServerIdClaim holder = Json.decode(held, ServerIdClaim.class);
      if (isMember(holder.memberId())) {
        Optional<ServerIdClaim> answer = probe(holder);
        if (answer.isPresent()) {
          throw new ServerIdInUseException(answer.get(), true);
        }
        LOG.info("server id " + serverId + " is held by " + holder.describe()
            + ", which does not answer; waiting up to " + leaveWait.toSeconds() + " s for the cluster to drop it");
        if (!awaitLeft(holder.memberId())) {
          throw new ServerIdInUseException(holder, false);
        }
      }
      if (claims.replace(serverId, held, json)) {
        LOG.info("server id " + serverId + " taken over from " + holder.describe() + ", which left the cluster");
        return hold(mine, json);
      }
      // Another starting worker took it over first: look at the new holder.
    }
  }

  private IMap<String, String> claims() {
    return hz.getMap(ClusterMaps.SERVER_IDS);
  }

  private Held hold(ServerIdClaim mine, String json) throws InterruptedException {
    MessageConsumer<String> responder = vertx.eventBus().<String>consumer(
        Addresses.serverIdHolder(mine.serverId()), msg -> msg.reply(json));
    // Wait until the cluster knows the address, so a worker started right after is answered.
    awaitQuietly(responder.completion().toCompletionStage().toCompletableFuture());
    return new Held(mine, json, responder);
  }

  private Optional<ServerIdClaim> probe(ServerIdClaim holder) throws InterruptedException {
    var reply = vertx.eventBus()
        .<String>request(Addresses.serverIdHolder(holder.serverId()), holder.memberId(),
            new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT.toMillis()))
        .toCompletionStage().toCompletableFuture();
    try {
      return Optional.of(Json.decode(reply.get().body(), ServerIdClaim.class));
    } catch (ExecutionException e) {
      return Optional.empty();
    }
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
