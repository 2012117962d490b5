package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.CommandRequest;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stranger joins the cluster's Hazelcast (which the open-source edition cannot stop) with its
 * own clustered Vert.x but without a certificate from the cluster CA: with mutual TLS on the event
 * bus it never receives a command's content nor gets one run, and what it disturbs in the
 * directory fails with a named error.
 */
@Tag("cluster")
class RogueMemberIT {
  @TempDir Path root;
  private TestCluster cluster;
  private Api api;
  private ClusterNode rogue;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.startWithTls(root, 1, 1);
    api = cluster.api();
    assertEquals(200, api.admin(null, "createDomain", "example.com").status());
    ClusterSettings s = cluster.settings();
    // Plain: no certificate. Pointed at the members' own ports, so that it joins this cluster.
    rogue = ClusterNode.start(new ClusterSettings(s.clusterName(), s.host(), s.port(), cluster.memberAddresses(),
        s.heartbeatSeconds())).await();
  }

  @AfterEach
  void stop() throws Exception {
    if (rogue != null) {
      rogue.close().await();
    }
    cluster.close();
  }

  @Test
  void aMemberWithoutACertificateNeitherReceivesNorRunsCommands() {
    assertEquals(3, rogue.hazelcast().getCluster().getMembers().size(), "the stranger is a Hazelcast member");
    // The coordinator's list follows the join a moment later.
    await().until(() -> cluster.memberCount() == 3);
    List<String> seen = new CopyOnWriteArrayList<>();
    var consumer = rogue.vertx().eventBus().<String>consumer(Addresses.workerCommands("mbox1"), m -> {
      seen.add(m.body());
      m.reply("{}");
    });
    consumer.completion().await();
    // The consumer is in the cluster's subscription map (where a member's event bus would pick it)
    // before the coordinator sends anything, so that the commands below could go to it.
    MultiMap<String, HazelcastRegistrationInfo> subs = cluster.hazelcast().getMultiMap("__vertx.subs");
    await().until(() -> subs.get(Addresses.workerCommands("mbox1")).stream()
        .anyMatch(r -> r.unwrap().nodeId().equals(rogue.nodeId())));

    // The coordinator's commands all reach mbox1's worker; none goes to the stranger's consumer.
    for (int i = 0; i < 6; i++) {
      Api.Answer a = api.admin("mbox1", "createAccount", "user" + i + "@example.com");
      assertEquals(200, a.status(), String.valueOf(a.body()));
    }
    assertTrue(seen.isEmpty(), "the stranger received " + seen);

    // The stranger's own command to mbox1 is not delivered: its connection is refused.
    CommandRequest evil = new CommandRequest("admin", "createAccount", Map.of("account", "evil@example.com"),
        "mbox1", null, "rogue");
    // Without its own consumer there, so that its Vert.x cannot hand the message to itself.
    consumer.unregister().await();
    assertThrows(Exception.class, () -> rogue.vertx().eventBus()
        .<String>request(Addresses.workerCommands("mbox1"), Json.encode(evil), new DeliveryOptions().setSendTimeout(3_000))
        .await());
    Api.Answer where = api.get("/api/v1/accounts/evil@example.com");
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT.name(), where.error().code(), String.valueOf(where.body()));
    assertEquals(200, api.get("/api/v1/accounts/user0@example.com").status());
    // Nor did the worker run it and only fail to answer: its store has no such account.
    assertTrue(cluster.worker("mbox1").store().account("evil@example.com").isEmpty(), "the stranger's command ran");
  }

  @Test
  void everyCertifiedMembersCertificateEndIsListed() {
    Api.Answer a = api.get("/api/v1/certificates");
    assertEquals(200, a.status(), String.valueOf(a.body()));
    // Two certified members (mbox1's worker, the coordinator); the stranger publishes none.
    assertEquals(2, a.body().path("members").size(), String.valueOf(a.body()));
    String servers = a.body().path("members").findValuesAsText("server").toString();
    assertTrue(servers.contains("mbox1"), String.valueOf(a.body()));
    assertTrue(a.body().path("members").get(0).path("daysLeft").asLong() > 800, String.valueOf(a.body()));
    assertTrue(a.body().path("http").isMissingNode() || a.body().path("http").isNull(),
        "the test coordinator serves plain HTTP on loopback");
  }

  @Test
  void aDisturbedDirectoryGivesANamedError() {
    assertEquals(200, api.admin("mbox1", "createAccount", "bob@example.com").status());
    IMap<String, String> byName = rogue.hazelcast().getMap(ClusterMaps.ACCOUNTS_BY_NAME);
    // The worker publishes the new account after answering; damage the entry only once it is there,
    // or the publish overwrites the damage.
    await().atMost(Duration.ofSeconds(30)).until(() -> byName.get("bob@example.com") != null);
    byName.put("bob@example.com", "not a location");
    Api.Answer a = api.backup(null, "doAccountScan", "bob@example.com");
    assertEquals(ErrorCode.DIRECTORY_DAMAGED.name(), a.error().code(), String.valueOf(a.body()));
    assertTrue(a.error().message().contains("storefleet.accounts[bob@example.com]"), a.error().message());

    IMap<String, String> servers = rogue.hazelcast().getMap(ClusterMaps.SERVERS);
    servers.put("mbox1", "{\"serverId\": 7");
    Api.Answer list = api.get("/api/v1/servers");
    assertEquals(ErrorCode.DIRECTORY_DAMAGED.name(), list.error().code(), String.valueOf(list.body()));
  }
}
