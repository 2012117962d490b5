package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 3, 1);
    api = cluster.api();
    assertEquals(200, api.admin(null, "createDomain", "example.com").status());
    int i = 1;
    for (String user : List.of("alice", "bob", "carol")) {
      Api.Answer a = api.admin("mbox" + i++, "createAccount", user + "@example.com");
      assertEquals(200, a.status(), a.body().toString());
    }
    Path mail = Messages.folder(root.resolve("mail-alice"), "alice", 5);
    assertEquals(200, api.admin(null, "injectMessages", "alice@example.com", mail.toString()).status());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static Operation awaitEnd(String uuid) {
    await().atMost(Duration.ofSeconds(30)).until(() -> api.operation(uuid).state().terminal());
    return api.operation(uuid);
  }

  private static List<Operation> queueOf(String server) {
    ApiResult r = api.backup(server, "getAllOperations", "verbose", "true").result();
    return List.of(Json.fromTree(r.reply().result(), Operation[].class));
  }

  @Test
  @Order(1)
  void accountCommandRunsOnTheOwnerWithoutAHostname() {
    CommandReply reply = api.backup(null, "doAccountScan", "alice@example.com").result().reply();
    assertEquals("mbox1", reply.server());
    assertFalse(reply.proxied());
    Operation op = awaitEnd(reply.operation().uuid());
    assertEquals(OperationState.SUCCEEDED, op.state());
    // The real-time scanner may have recorded them first; either way the backup holds all five.
    assertEquals(5, op.stats().counter("itemsNew") + op.stats().counter("itemsUnchanged"));
    assertTrue(queueOf("mbox1").stream().anyMatch(o -> o.uuid().equals(op.uuid())));
  }

  @Test
  @Order(2)
  void wrongTargetIsProxiedOnceAndLoggedOnTheOwner() {
    Api.Answer a = api.backup("mbox3", "doAccountScan", "alice@example.com");
    CommandReply reply = a.result().reply();
    assertTrue(reply.proxied());
    assertEquals("mbox3", reply.via());
    assertEquals("mbox1", reply.server());
    assertTrue(a.result().text().contains("proxied from mbox3 to mbox1"), a.result().text());
    String uuid = reply.operation().uuid();
    assertEquals("mbox3", reply.operation().via());
    awaitEnd(uuid);
    assertEquals(1, queueOf("mbox1").stream().filter(o -> o.uuid().equals(uuid)).count());
    assertTrue(queueOf("mbox3").stream().noneMatch(o -> o.uuid().equals(uuid)));
    assertTrue(queueOf("mbox2").stream().noneMatch(o -> o.uuid().equals(uuid)));
  }

  @Test
  @Order(3)
  void aWorkerReceivingAWrongTargetRequestDirectlyProxiesIt() {
    WorkerClient client = new WorkerClient(cluster.coordinatorVertx(), Duration.ofSeconds(10));
    CommandRequest req = new CommandRequest("admin", "listFolders", Map.of("account", "bob@example.com"), "mbox1", null, "t");
    CommandReply reply = client.send("mbox1", req).await();
    assertEquals("mbox2", reply.server());
    assertTrue(reply.proxied());
    assertEquals("mbox1", reply.via());
  }

  @Test
  @Order(4)
  void anAlreadyForwardedRequestIsNeverForwardedAgain() {
    WorkerClient client = new WorkerClient(cluster.coordinatorVertx(), Duration.ofSeconds(10));
    CommandRequest req = new CommandRequest("admin", "listFolders", Map.of("account", "bob@example.com"), "mbox1", "mbox3", "t");
    StorefleetException e = org.junit.jupiter.api.Assertions.assertThrows(StorefleetException.class,
        () -> client.send("mbox1", req).await());
    assertEquals(ErrorCode.PROXY_LOOP, e.code());
    assertFalse(e.code().definite());
  }

  @Test
  @Order(5)
  void unknownAccountIsADefiniteError() {
    ErrorInfo e = api.backup(null, "doAccountScan", "nobody@example.com").error();
    assertEquals("UNKNOWN_ACCOUNT", e.code());
    assertTrue(e.definite());
    assertTrue(e.message().contains("nobody@example.com"), e.message());
    assertEquals("UNKNOWN_ACCOUNT", api.backup("mbox2", "doAccountScan", "nobody@example.com").error().code());
  }

  @Test
  @Order(6)
  void catalogueParametersNotBuiltAnswerNotImplemented() {
    ErrorInfo e = api.backup("mbox1", "doSmartScan", "read_error_threshold", "3").error();
    assertEquals("NOT_IMPLEMENTED", e.code());
    assertTrue(e.definite());
    assertTrue(e.message().contains("read_error_threshold"), e.message());
    assertEquals("mbox1", e.server());
    assertEquals(501, api.backup("mbox1", "doSmartScan", "read_error_threshold", "3").status());
  }

  @Test
  @Order(7)
  void badInputAndMissingTargetAreDefiniteErrors() {
    assertEquals("UNKNOWN_COMMAND", api.backup(null, "doSmartScna").error().code());
    assertEquals("TARGET_REQUIRED", api.backup(null, "doSmartScan").error().code());
    assertEquals("UNKNOWN_SERVER", api.backup("mbox9", "doSmartScan").error().code());
    assertEquals("BROADCAST_NOT_ALLOWED", api.backup("all_servers", "doAccountScan", "alice@example.com").error().code());
    assertEquals(401, api.getWithoutToken("/api/v1/servers").status());
    assertEquals(200, api.getWithoutToken("/health").status());
  }

  @Test
  @Order(8)
  void whereisAndServersAnswerFromTheDirectory() {
    Api.Answer a = api.get("/api/v1/accounts/carol@example.com");
    assertEquals("mbox3", a.body().path("server").asText());
    ServerInfo[] servers = Json.fromTree(api.get("/api/v1/servers").body(), ServerInfo[].class);
    assertEquals(3, servers.length);
    assertTrue(List.of(servers).stream().allMatch(s -> Boolean.TRUE.equals(s.reachable())));
  }

  @Test
  @Order(20)
  void aDownOwnerIsAnIndefiniteErrorNamingItAndBroadcastKeepsTheOthers() throws Exception {
    java.time.Instant before = java.time.Instant.now();
    cluster.stopWorker("mbox3");
    ErrorInfo e = api.backup(null, "doAccountScan", "carol@example.com").error();
    assertEquals("SERVER_UNAVAILABLE", e.code());
    assertFalse(e.definite());
    assertEquals("mbox3", e.server());
    assertTrue(e.message().contains("mbox3"), e.message());

    Api.Answer viaDead = api.backup("mbox3", "doAccountScan", "alice@example.com");
    assertEquals("mbox1", viaDead.result().reply().server(), "a dead named server does not block the owner");
    assertTrue(viaDead.result().text().contains("named server mbox3 is unreachable"), viaDead.result().text());
    awaitEnd(viaDead.result().reply().operation().uuid());

    ApiResult b = api.backup("all_servers", "doSmartScan").result();
    assertEquals("broadcast", b.kind());
    assertEquals(3, b.broadcast().results().size());
    for (ServerResult r : b.broadcast().results()) {
      if (r.server().equals("mbox3")) {
        assertEquals("SERVER_UNAVAILABLE", r.error().code());
        assertNull(r.reply());
      } else {
        assertTrue(r.ok(), r.toString());
        assertEquals(OperationState.SUCCEEDED, awaitEnd(r.reply().operation().uuid()).state());
      }
    }
    ApiResult table = api.backup(null, "getAllOperations").result();
    assertEquals("table", table.kind());
    assertEquals(List.of("mbox3"), table.table().unreachable().stream().map(ServerResult::server).toList());
    assertTrue(table.text().contains("mbox3: UNREACHABLE"), table.text());
    ServerInfo[] servers = Json.fromTree(api.get("/api/v1/servers").body(), ServerInfo[].class);
    assertEquals(Boolean.FALSE, List.of(servers).stream().filter(s -> s.serverId().equals("mbox3")).findFirst().orElseThrow().reachable());
    // Since when: the moment the cluster noticed its member leave, not its last report.
    java.util.function.Supplier<ServerInfo> mbox3 = () -> List.of(Json.fromTree(api.get("/api/v1/servers").body(),
        ServerInfo[].class)).stream().filter(s -> s.serverId().equals("mbox3")).findFirst().orElseThrow();
    await().until(() -> mbox3.get().unreachableSince() != null);
    java.time.Instant seen = java.time.Instant.now();
    java.time.Instant since = mbox3.get().unreachableSince();
    assertTrue(!since.isBefore(before) && !since.isAfter(seen), since + " is between the stop at " + before
        + " and the answer at " + seen);
  }
}
