package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.ServerResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every account restore on a three-server cluster: invoked without a hostname it runs on the
 * account's owner; with a wrong hostname it still runs there (proxied, or for a deleted account
 * sent to the server whose backup holds it); for an account whose server is down the answer is an
 * indefinite error naming that server.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreClusterIT {
  private static final int MESSAGES = 6;

  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 3, 1);
    api = cluster.api();
    api.admin(null, "createDomain", "r.test").result();
    String[][] accounts = {{"ann", "mbox1"}, {"eve", "mbox1"}, {"bea", "mbox2"}, {"cal", "mbox3"}, {"dan", "mbox3"}};
    for (String[] a : accounts) {
      api.admin(a[1], "createAccount", a[0] + "@r.test").result();
      api.admin(null, "injectMessages", a[0] + "@r.test",
          Messages.folder(root.resolve("mail-" + a[0]), a[0], MESSAGES).toString()).result();
    }
    ApiResult scans = api.backup("all_servers", "doSmartScan").result();
    for (ServerResult r : scans.broadcast().results()) {
      assertSucceeded(finish(r.reply().operation()));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static Operation finish(Operation op) {
    await().atMost(Duration.ofSeconds(90)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  private static Operation run(String target, String... args) {
    return finish(api.backup(target, args).result().reply().operation());
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.command() + ": " + op.error() + " " + op.stats());
  }

  private static JsonNode search(String account, String... filters) {
    String[] args = new String[filters.length + 2];
    args[0] = "doItemSearch";
    args[1] = account;
    System.arraycopy(filters, 0, args, 2, filters.length);
    return api.backup(null, args).result().reply().result().get("items");
  }

  /** Deletes one live item and waits until the owner's backup has recorded the deletion. */
  private static int deleteOne(String account) {
    JsonNode items = api.admin(null, "listItems", account).result().reply().result();
    int id = items.get(0).get("id").asInt();
    int before = search(account, "deleted", "true").size();
    api.admin(null, "deleteItem", account, Integer.toString(id)).result();
    await().atMost(Duration.ofSeconds(30)).until(() -> search(account, "deleted", "true").size() == before + 1);
    return id;
  }

  @Test
  @Order(1)
  void itemRestoreRunsOnTheOwnerWithOrWithoutAHostname() {
    int id = deleteOne("bea@r.test");
    Operation direct = run(null, "doItemRestore", "bea@r.test", Integer.toString(id));
    assertSucceeded(direct);
    assertEquals("mbox2", direct.server());
    assertNull(direct.via());
    assertEquals(1, direct.stats().counter("restored"));

    Operation proxied = run("mbox3", "doItemRestore", "bea@r.test", Integer.toString(id));
    assertSucceeded(proxied);
    assertEquals("mbox2", proxied.server());
    assertEquals("mbox3", proxied.via(), "the wrong target proxied it");
    assertEquals(0, proxied.stats().counter("restored"));
    assertEquals(1, proxied.stats().counter("skipped"), "the item is there since the first run");
  }

  @Test
  @Order(2)
  void undeleteRunsOnTheOwnerWithOrWithoutAHostname() {
    deleteOne("cal@r.test");
    Operation proxied = run("mbox1", "doUndelete", "cal@r.test", "first", "last");
    assertSucceeded(proxied);
    assertEquals("mbox3", proxied.server());
    assertEquals("mbox1", proxied.via());
    assertEquals(1, proxied.stats().counter("restored"));

    Operation direct = run(null, "doUndelete", "cal@r.test", "first", "last");
    assertSucceeded(direct);
    assertEquals("mbox3", direct.server());
    assertEquals(1, direct.stats().counter("skipped"));
    assertEquals(MESSAGES, api.admin(null, "listItems", "cal@r.test").result().reply().result().size());
  }

  @Test
  @Order(3)
  void restoreOnNewAccountCreatesItOnTheSourcesServerWithOrWithoutAHostname() {
    Operation direct = run(null, "doRestoreOnNewAccount", "ann@r.test", "ann.copy@r.test", "last");
    assertSucceeded(direct);
    assertEquals("mbox1", direct.server());
    assertEquals(MESSAGES, direct.stats().counter("restored"));

    Operation proxied = run("mbox1", "doRestoreOnNewAccount", "bea@r.test", "bea.copy@r.test", "last");
    assertSucceeded(proxied);
    assertEquals("mbox2", proxied.server());
    assertEquals("mbox1", proxied.via());
    assertEquals("mbox2", api.admin(null, "listItems", "bea.copy@r.test").result().reply().server(),
        "the new account lives on the source's server");
    assertEquals(MESSAGES, api.admin(null, "listItems", "bea.copy@r.test").result().reply().result().size());
  }

  @Test
  @Order(4)
  void itemSearchAnswersFromTheOwnersBackupWithOrWithoutAHostname() {
    ApiResult direct = api.backup(null, "doItemSearch", "ann@r.test", "subject", "message").result();
    assertEquals("mbox1", direct.reply().server());
    assertEquals(MESSAGES, direct.reply().result().get("items").size());
    ApiResult proxied = api.backup("mbox3", "doItemSearch", "ann@r.test", "subject", "message").result();
    assertEquals("mbox1", proxied.reply().server());
    assertEquals(MESSAGES, proxied.reply().result().get("items").size());
  }

  @Test
  @Order(5)
  void aDeletedAccountIsRestoredOnTheServerWhoseBackupHoldsItWhateverTheHostname() {
    api.admin(null, "deleteAccount", "eve@r.test").result();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var a = api.backup(null, "getAccountInfo", "eve@r.test");
      return a.status() == 200 && a.result().reply().result().get("deleted").asBoolean();
    });
    Operation direct = run(null, "doRestoreDeletedAccount", "eve@r.test", "eve.back@r.test");
    assertSucceeded(direct);
    assertEquals("mbox1", direct.server());
    assertEquals(MESSAGES, direct.stats().counter("restored"));

    Api.Answer wrong = api.backup("mbox2", "doRestoreDeletedAccount", "eve@r.test", "eve.again@r.test");
    Operation viaWrong = finish(wrong.result().reply().operation());
    assertSucceeded(viaWrong);
    assertEquals("mbox1", viaWrong.server(), "mbox2's backup does not hold eve; mbox1's does");
    assertTrue(wrong.result().text().contains("does not hold eve@r.test"), wrong.result().text());
  }

  @Test
  @Order(10)
  void anAccountOnADownServerGetsAnIndefiniteErrorNamingIt() throws Exception {
    api.admin(null, "deleteAccount", "dan@r.test").result();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var a = api.backup(null, "getAccountInfo", "dan@r.test");
      return a.status() == 200 && a.result().reply().result().get("deleted").asBoolean();
    });
    cluster.stopWorker("mbox3");
    String[][] requests = {
      {"doItemRestore", "cal@r.test", "300"},
      {"doUndelete", "cal@r.test", "first", "last"},
      {"doRestoreOnNewAccount", "cal@r.test", "cal.copy@r.test", "last"},
      {"doItemSearch", "cal@r.test"},
      {"doRestoreDeletedAccount", "dan@r.test", "dan.back@r.test"},
    };
    for (String[] r : requests) {
      ErrorInfo e = api.backup(null, r).error();
      assertEquals("SERVER_UNAVAILABLE", e.code(), r[0] + ": " + e);
      assertFalse(e.definite(), r[0] + " must not say the request surely failed: " + e);
      assertTrue(e.message().contains("mbox3"), r[0] + ": " + e.message());
    }
  }
}
