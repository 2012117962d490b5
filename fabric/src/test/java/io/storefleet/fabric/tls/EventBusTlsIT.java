package io.storefleet.fabric.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.node.ClusterSettings;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on the clustered event bus between real Hazelcast members in one JVM. */
@Tag("cluster")
class EventBusTlsIT {
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(3_000);

  @TempDir Path dir;
  private final ClusterSettings plain = ClusterSettings.loopback("sf-tls-" + UUID.randomUUID());
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final ClusterCaTool ca = new ClusterCaTool();

  @BeforeEach
  void makeCa() throws Exception {
    ca.run(List.of("init", dir.resolve("ca").toString()));
  }

  @AfterEach
  void close() {
    for (ClusterNode n : nodes) {
      n.close().await();
    }
  }

  private ClusterNode node(ClusterSettings s) {
    ClusterNode n = ClusterNode.start(s).await();
    nodes.add(n);
    return n;
  }

  private PemFiles issue(String caDir, String name) throws Exception {
    ca.run(List.of("issue", dir.resolve(caDir).toString(), name, "127.0.0.1"));
    return new PemFiles(dir.resolve(caDir + "/nodes/" + name + ".crt"), dir.resolve(caDir + "/nodes/" + name + ".key"),
        dir.resolve(caDir + "/trust.crt"));
  }

  @Test
  void membersWithoutAClusterCertificateNeitherReceiveNorSend() throws Exception {
    ClusterNode a = node(plain.withTls(issue("ca", "a")));
    ClusterNode b = node(plain.withTls(issue("ca", "b")));
    List<String> aGot = new CopyOnWriteArrayList<>();
    a.vertx().eventBus().<String>consumer("x", m -> {
      aGot.add(m.body());
      m.reply("a");
    }).completion().await();
    a.vertx().eventBus().<String>consumer("y", m -> {
      aGot.add(m.body());
      m.reply("a");
    }).completion().await();
    assertEquals("a", b.vertx().eventBus().<String>request("x", "b0").await().body());

    // Two strangers join Hazelcast: one with a plain event bus, one with TLS from a CA of its own.
    ca.run(List.of("init", dir.resolve("other-ca").toString()));
    List<String> strangersGot = new CopyOnWriteArrayList<>();
    // Pointed at the members' own ports, so that they join this cluster whatever else runs here.
    ClusterSettings here = new ClusterSettings(plain.clusterName(), plain.host(), plain.port(),
        a.hazelcast().getCluster().getMembers().stream()
            .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort()).toList(), plain.heartbeatSeconds());
    List<ClusterNode> strangers = List.of(node(here), node(here.withTls(issue("other-ca", "r"))));
    for (ClusterNode r : strangers) {
      r.vertx().eventBus().<String>consumer("x", m -> {
        strangersGot.add(m.body());
        m.reply("stranger");
      }).completion().await();
    }
    assertEquals(4, strangers.get(1).hazelcast().getCluster().getMembers().size(), "the strangers are Hazelcast members");

    // Every request from a member reaches a member, none a stranger.
    for (int i = 1; i <= 8; i++) {
      assertEquals("a", b.vertx().eventBus().<String>request("x", "b" + i, SHORT).await().body());
    }
    // A stranger's requests reach no member: its connections are refused.
    for (ClusterNode r : strangers) {
      assertThrows(Exception.class, () -> r.vertx().eventBus().<String>request("y", "evil", SHORT).await());
    }
    assertTrue(strangersGot.isEmpty(), "strangers received " + strangersGot);
    assertEquals(List.of("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8"), aGot);
  }

  @Test
  void certificatesAndTheCaAreRotatedWhileTheNodesRun() throws Exception {
    ClusterNode a = node(plain.withTls(issue("ca", "a")));
    ClusterNode b = node(plain.withTls(issue("ca", "b")));
    a.vertx().eventBus().<String>consumer("x", m -> m.reply("a")).completion().await();
    assertEquals("a", b.vertx().eventBus().<String>request("x", "hi").await().body());
    String firstIssuer = a.busCertificates().orElseThrow().certificate().issuer();

    // Step 1: every node trusts the old and the next CA (trust.crt now holds both).
    ca.run(List.of("rotate-ca", dir.resolve("ca").toString()));
    assertTrue(a.busCertificates().orElseThrow().checkNow().await());
    assertTrue(b.busCertificates().orElseThrow().checkNow().await());
    assertEquals(2, a.busCertificates().orElseThrow().authorities().size());
    assertEquals(firstIssuer, a.busCertificates().orElseThrow().certificate().issuer());
    // Step 2: a's certificate from the next CA, taken in without a restart.
    issue("ca", "a");
    assertTrue(a.busCertificates().orElseThrow().checkNow().await());
    assertNotEquals(firstIssuer, a.busCertificates().orElseThrow().certificate().issuer());
    assertEquals("a", b.vertx().eventBus().<String>request("x", "hi", SHORT).await().body());

    // A node that trusts only the next CA reaches a: a now presents its new certificate.
    ca.run(List.of("finish-ca-rotation", dir.resolve("ca").toString()));
    ClusterNode d = node(plain.withTls(issue("ca", "d")));
    assertEquals(1, d.busCertificates().orElseThrow().authorities().size());
    assertEquals("a", d.vertx().eventBus().<String>request("x", "hi", SHORT).await().body());
  }

  @Test
  void aMemberRefusedUnderTheOldTrustIsReleasedWhenTheTrustChanges() throws Exception {
    ClusterNode a = node(plain.withTls(issue("ca", "a")));
    ClusterNode b = node(plain.withTls(issue("ca", "b")));
    // Out of order: b takes both CAs and its certificate from the next CA before a trusts the next CA.
    ca.run(List.of("rotate-ca", dir.resolve("ca").toString()));
    assertTrue(b.busCertificates().orElseThrow().checkNow().await());
    issue("ca", "b");
    assertTrue(b.busCertificates().orElseThrow().checkNow().await());
    for (String address : List.of("seen-before", "seen-after")) {
      b.vertx().eventBus().<String>consumer(address, m -> m.reply("b")).completion().await();
    }
    // a judges b's statement against the old CA alone: refused, so b's consumers are not chosen.
    assertThrows(Exception.class, () -> a.vertx().eventBus().<String>request("seen-before", "hi", SHORT).await());

    assertTrue(a.busCertificates().orElseThrow().checkNow().await());
    assertEquals("b", a.vertx().eventBus().<String>request("seen-after", "hi", SHORT).await().body());
  }

  @Test
  void aHalfWrittenRotationIsRefusedAndTheOldCertificateStays() throws Exception {
    PemFiles files = issue("ca", "a");
    ClusterNode a = node(plain.withTls(files));
    String before = a.busCertificates().orElseThrow().certificate().sha256();
    // The key of another issue next to a's certificate: refused as a set, nothing changes.
    issue("ca", "other");
    Files.copy(dir.resolve("ca/nodes/other.key"), files.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(false, a.busCertificates().orElseThrow().checkNow().await());
    assertEquals(before, a.busCertificates().orElseThrow().certificate().sha256());
    assertTrue(a.busCertificates().orElseThrow().lastRefusal().contains("does not belong to the certificate"),
        a.busCertificates().orElseThrow().lastRefusal());
  }
}
