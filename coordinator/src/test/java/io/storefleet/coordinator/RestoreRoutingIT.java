package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restores reach the right server through the coordinator: by the account's owner, through a
 * proxy from a wrong target, and, for a deleted account, through the server whose backup holds
 * it. A cross-server mountpoint of the restored account is granted on its owner's server.
 */
@Tag("cluster")
class RestoreRoutingIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 1);
    api = cluster.api();
    api.admin(null, "createDomain", "example.com").result();
    api.admin("mbox1", "createAccount", "fay@example.com").result();
    api.admin("mbox2", "createAccount", "gus@example.com").result();
    api.admin(null, "injectMessages", "fay@example.com", Messages.folder(root.resolve("m"), "fay", 4).toString())
        .result();
    api.admin(null, "createFolder", "gus@example.com", "/Team").result();
    api.admin(null, "grantFolder", "gus@example.com", "/Team", "fay@example.com", "rights", "rw").result();
    api.admin(null, "mountShare", "fay@example.com", "gus@example.com", "/Team", "/Gus").result();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static Operation run(String target, String... args) {
    ApiResult r = api.backup(target, args).result();
    Operation op = r.reply().operation();
    await().atMost(Duration.ofSeconds(60)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + " " + op.stats().verdict());
  }

  @Test
  void restoresRunOnTheOwnerAndDeletedAccountsOnTheServerThatBackedThemUp() {
    JsonNode items = api.admin(null, "listItems", "fay@example.com").result().reply().result();
    int victim = items.get(0).get("id").asInt();
    api.admin(null, "deleteItem", "fay@example.com", Integer.toString(victim)).result();
    await().atMost(Duration.ofSeconds(30)).until(() -> api.backup(null, "doItemSearch", "fay@example.com",
        "deleted", "true").result().reply().result().get("items").size() == 1);

    Operation undelete = run("mbox2", "doUndelete", "fay@example.com", "first", "last");
    assertSucceeded(undelete);
    assertEquals("mbox1", undelete.server(), "a wrong target is proxied to the owner");
    assertEquals(1, undelete.stats().counter("restored"));

    Operation copy = run(null, "doRestoreOnNewAccount", "fay@example.com", "fay.copy@example.com", "last");
    assertSucceeded(copy);
    assertEquals("mbox1", copy.server());
    assertEquals(4, copy.stats().counter("restored"));
    assertEquals(1, copy.stats().counter("mountpointsRestored"));
    JsonNode gusShares = api.admin(null, "listShares", "gus@example.com").result().reply().result().get("grants");
    boolean granted = false;
    for (JsonNode g : gusShares) {
      granted |= g.get("granteeName").asText().equals("fay.copy@example.com") && g.get("rights").asText().equals("rw");
    }
    assertTrue(granted, "gus, on mbox2, shares /Team with the new account too: " + gusShares);
    assertEquals("mbox1", api.admin(null, "listFolders", "fay.copy@example.com").result().reply().server(),
        "the new account is in the directory, on the source's server");

    api.admin(null, "deleteAccount", "fay@example.com").result();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var a = api.backup(null, "getAccountInfo", "fay@example.com");
      return a.status() == 200 && a.result().reply().result().get("deleted").asBoolean();
    });
    Operation back = run(null, "doRestoreDeletedAccount", "fay@example.com", "fay.back@example.com");
    assertSucceeded(back);
    assertEquals("mbox1", back.server());
    assertEquals(4, back.stats().counter("restored"));
    assertEquals(5, api.backup(null, "doItemSearch", "fay@example.com").result().reply().result().get("items").size(),
        "the deleted account's backup is searchable without naming its server");
  }
}
