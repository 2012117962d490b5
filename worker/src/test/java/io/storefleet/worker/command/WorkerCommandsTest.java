package io.storefleet.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.worker.WorkerNode;
import io.storefleet.worker.config.WorkerConfig;
import io.storefleet.worker.queue.Pacer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole worker on one local Vert.x, reached through its event-bus front door as the coordinator
 * and other workers reach it: what it has built, the defaults it fills in, and the deleted-account
 * rule as the worker applies it.
 */
class WorkerCommandsTest {
  private static final String SERVER = "mbox1";

  @TempDir Path dir;
  Vertx vertx;
  WorkerNode node;
  WorkerClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    WorkerConfig config = new WorkerConfig(SERVER, dir.resolve(SERVER), dir.resolve(SERVER).resolve("backup"),
        List.of(dir), ClusterSettings.loopback("sf-unit"), 0, Duration.ofSeconds(10));
    node = WorkerNode.start(vertx, "node-" + SERVER, config, Clock.systemUTC(), Pacer.NONE).await();
    client = new WorkerClient(vertx, Duration.ofSeconds(30));
    send("admin", "createDomain", Map.of("domain", "example.com"));
  }

  @AfterEach
  void stop() {
    node.stop().await();
    vertx.close().await();
  }

  private CommandReply send(String module, String command, Map<String, String> params) {
    return client.send(SERVER, new CommandRequest(module, command, params, null, null, "test")).await();
  }

  private Operation monitor(String uuid) {
    return Json.fromTree(send("backup", "monitor", Map.of("operation_uuid", uuid)).result(), Operation.class);
  }

  private Operation finished(CommandReply queued) {
    String uuid = queued.operation().uuid();
    await().atMost(Duration.ofSeconds(60)).until(() -> monitor(uuid).state().terminal());
    return monitor(uuid);
  }

  @Test
  void everyCataloguedCommandIsRegisteredOrListedAsNotBuilt() {
    assertEquals(List.of(), node.commands().unaccounted(),
        "register these commands, or list them in CommandRegistry.NOT_BUILT");
  }

  @Test
  void aRequestWithOnlyTheOperatorsValuesGetsTheRunningWorkersDefaults() {
    send("admin", "createAccount", Map.of("account", "ann@example.com"));
    Operation op = send("backup", "doAccountScan", Map.of("account", "ann@example.com")).operation();
    assertEquals(Map.of("account", "ann@example.com", "deep", "false", "remote_metadata_upload", "false",
        "remote_take_over", "false"), op.params(), "the worker fills in the defaults the request left out");
    assertEquals("SUCCEEDED", finished(new CommandReply(SERVER, false, null, op, null, null)).state().name());
  }

  /**
   * The one deleted-account rule: only the commands that read a backup are served from it. A
   * command that needs a live mailbox answers, for an account no server owns, UNKNOWN_ACCOUNT
   * naming the cluster, without reading this server's backup, even though the backup holds it.
   */
  @Test
  void aDeletedAccountIsServedFromThisBackupOnlyByTheCommandsThatReadBackups() {
    send("admin", "createAccount", Map.of("account", "ann@example.com"));
    Operation scan = finished(send("backup", "doAccountScan", Map.of("account", "ann@example.com")));
    assertEquals("SUCCEEDED", scan.state().name(), String.valueOf(scan.error()));
    send("admin", "deleteAccount", Map.of("account", "ann@example.com"));

    CommandReply info = send("backup", "getAccountInfo", Map.of("account", "ann@example.com"));
    assertEquals(SERVER, info.server());
    assertTrue(info.result().hasNonNull("lastRecorded"), info.text());

    for (Map<String, String> live : List.of(
        Map.of("command", "doItemRestore", "account_name", "ann@example.com", "item_id", "1"),
        Map.of("command", "doUndelete", "account", "ann@example.com", "start_date", "first", "end_date", "last"),
        Map.of("command", "doAccountScan", "account", "ann@example.com"))) {
      Map<String, String> params = new java.util.LinkedHashMap<>(live);
      String command = params.remove("command");
      StorefleetException e = assertThrows(StorefleetException.class, () -> send("backup", command, params));
      assertEquals(ErrorCode.UNKNOWN_ACCOUNT, e.code(), command);
      assertTrue(e.getMessage().contains("does not exist on any server of the cluster"), command + ": " + e.getMessage());
    }
  }
}
