package io.storefleet.fabric.tls;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.config.Config;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Hazelcast's open-source edition lets any process that reaches its port join and write the
 * event bus's subscription map, so a stranger can register a consumer on a worker's address.
 * Mutual TLS already stops it from receiving (no member opens a connection to it), but Vert.x
 * would still pick it in turn and every such message would wait out its timeout. This manager
 * hides from the event bus every consumer of a member that has not proved it holds a cluster
 * certificate ({@link MemberCertificate} in {@link ClusterMaps#MEMBER_CERTIFICATES}), so messages
 * only go to certified members; each hidden member is logged once, naming it.
 */
public final class CertifiedClusterManager extends HazelcastClusterManager {
  private static final Logger LOG = Logger.getLogger(CertifiedClusterManager.class.getName());

  private final String cluster;
  private final Clock clock;
  private final Supplier<List<java.security.cert.X509Certificate>> authorities;
  private final Map<String, Boolean> certified = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> heldBack = new ConcurrentHashMap<>();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile RegistrationListener downstream;
  private volatile IMap<String, String> certificates;
  private Vertx vertx;
  private final Object following = new Object();

  public CertifiedClusterManager(Config config, Clock clock, Supplier<List<java.security.cert.X509Certificate>> authorities) {
    super(config);
    this.cluster = config.getClusterName();
    this.clock = clock;
    this.authorities = authorities;
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    super.init(vertx);
  }

  /**
   * Publishes this member's certificate statement (after joining, and again after a rotation),
   * judges the others' again and, the first time, starts following them. Finding the map and adding a listener
   * wait for the cluster, so this runs on a worker thread.
   */
  public Future<Void> publish(PemFiles.Loaded material) {
    return vertx.executeBlocking(() -> {
      // Not on this manager's own monitor: Hazelcast's membership callbacks take that one.
      synchronized (following) {
        if (certificates == null) {
          IMap<String, String> map = getHazelcastInstance().getMap(ClusterMaps.MEMBER_CERTIFICATES);
          map.addEntryListener(new Changes(), true);
          certificates = map;
        }
      }
      String id = getNodeId();
      certificates.set(id, Json.encode(MemberCertificate.sign(cluster, id, material.key(), material.chain())));
      // The CAs trusted may have changed (a CA rotation) and statements may have come before the
      // listener: judge every one again, so that a member refused under the old trust is released.
      for (Map.Entry<String, String> e : certificates.entrySet()) {
        if (!e.getKey().equals(id)) {
          judge(e.getKey(), e.getValue());
        }
      }
      return null;
    }, false);
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    downstream = listener;
    super.registrationListener(new RegistrationListener() {
      @Override
      public void registrationsUpdated(RegistrationUpdateEvent event) {
        listener.registrationsUpdated(new RegistrationUpdateEvent(event.address(),
            certifiedOnly(event.address(), event.registrations())));
      }

      @Override
      public void registrationsLost() {
        listener.registrationsLost();
      }

      @Override
      public boolean wantsUpdatesFor(String address) {
        return listener.wantsUpdatesFor(address);
      }
    });
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    super.getRegistrations(address, (regs, err) -> {
      if (err != null) {
        promise.fail(err);
        return;
      }
      // Members not judged yet are looked up first, so that a first send does not miss them.
      IMap<String, String> map = certificates;
      List<java.util.concurrent.CompletableFuture<Void>> lookups = regs.stream().map(RegistrationInfo::nodeId)
          .distinct().filter(m -> map != null && !m.equals(getNodeId()) && certified.get(m) == null)
          .map(m -> map.getAsync(m).thenAccept(entry -> judge(m, entry)).toCompletableFuture()).toList();
      if (lookups.isEmpty()) {
        promise.succeed(certifiedOnly(address, regs));
        return;
      }
      java.util.concurrent.CompletableFuture.allOf(lookups.toArray(java.util.concurrent.CompletableFuture[]::new))
          .whenComplete((x, e) -> promise.succeed(certifiedOnly(address, regs)));
    });
  }

  @Override
  public synchronized void memberRemoved(MembershipEvent event) {
    super.memberRemoved(event);
    String id = event.getMember().getUuid().toString();
    certified.remove(id);
    heldBack.remove(id);
    reported.remove(id);
    IMap<String, String> map = certificates;
    if (map != null && !event.getMember().localMember() && getHazelcastInstance().getLifecycleService().isRunning()) {
      try {
        map.removeAsync(id);
      } catch (RuntimeException e) {
        // This member is shutting down too; the survivors remove the entry.
      }
    }
  }

  private List<RegistrationInfo> certifiedOnly(String address, List<RegistrationInfo> regs) {
    String self = getNodeId();
    return regs.stream().filter(r -> r.nodeId().equals(self) || isCertified(r.nodeId(), address)).toList();
  }

  private boolean isCertified(String member, String address) {
    Boolean known = certified.get(member);
    if (Boolean.TRUE.equals(known)) {
      return true;
    }
    heldBack.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet()).add(address);
    IMap<String, String> map = certificates;
    if (known == null && map != null) {
      // Not known yet: a member that just joined may be a moment ahead of its statement. Look it up;
      // if it checks out, its consumers held back so far are handed to the event bus then.
      map.getAsync(member).thenAccept(entry -> judge(member, entry));
    } else if (known != null) {
      report(member, address, "its certificate statement was refused");
    }
    return false;
  }

  private void judge(String member, String entry) {
    if (entry == null) {
      if (certified.get(member) == null) {
        Set<String> addresses = heldBack.getOrDefault(member, Set.of());
        report(member, addresses.isEmpty() ? "?" : addresses.iterator().next(), "it published no cluster certificate");
      }
      return;
    }
    String refusal;
    try {
      refusal = Json.decode(entry, MemberCertificate.class).refusal(cluster, member, authorities.get(), clock.instant());
    } catch (RuntimeException e) {
      refusal = "its certificate entry is unreadable: " + e.getMessage();
    }
    if (refusal != null) {
      certified.put(member, false);
      report(member, "its statement", refusal);
      return;
    }
    if (!Boolean.TRUE.equals(certified.put(member, true))) {
      release(member);
    }
  }

  private void release(String member) {
    Set<String> addresses = heldBack.remove(member);
    RegistrationListener l = downstream;
    if (addresses == null || l == null) {
      return;
    }
    for (String address : addresses) {
      super.getRegistrations(address, (regs, err) -> {
        if (err == null) {
          l.registrationsUpdated(new RegistrationUpdateEvent(address, certifiedOnly(address, regs)));
        }
      });
    }
  }

  private void report(String member, String address, String why) {
    if (reported.add(member)) {
      LOG.warning("cluster member " + member + " is not sent any event-bus message (seen on " + address + "): "
          + why + ". A process without a certificate from the cluster CA has joined Hazelcast; find it with the"
          + " member list in this log and confine Hazelcast's port (docs/security.md, \"What Hazelcast leaves open\")");
    }
  }

  private final class Changes implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      judge(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      judge(e.getKey(), e.getValue());
    }
  }
}
