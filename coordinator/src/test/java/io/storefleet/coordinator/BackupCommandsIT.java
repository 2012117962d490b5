package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ServerResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup engine's commands end to end: through the coordinator, to the owning servers. */
@Tag("cluster")
class BackupCommandsIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;
  static Path mail;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 1);
    api = cluster.api();
    api.admin(null, "createDomain", "example.com").result();
    api.admin("mbox1", "createAccount", "fay@example.com").result();
    api.admin("mbox2", "createAccount", "gus@example.com").result();
    mail = Messages.folder(root.resolve("m"), "fay", 5);
    api.admin(null, "injectMessages", "fay@example.com", mail.toString()).result();
    api.admin(null, "injectMessages", "gus@example.com", mail.toString()).result();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static List<Operation> all(String... args) {
    List<Operation> ops = api.backup("all_servers", args).result().broadcast().results().stream()
        .map(r -> r.reply().operation()).toList();
    return ops.stream().map(BackupCommandsIT::finish).toList();
  }

  private static Operation one(String target, String... args) {
    return finish(api.backup(target, args).result().reply().operation());
  }

  private static Operation finish(Operation op) {
    await().atMost(Duration.ofSeconds(60)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  @Test
  void smartScanOnEveryServerThenInspectAnItemWithoutKnowingItsServer() throws Exception {
    for (Operation op : all("doSmartScan")) {
      assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    }
    JsonNode items = api.admin(null, "listItems", "gus@example.com").result().reply().result();
    int id = items.get(0).get("id").asInt();
    JsonNode item = api.backup(null, "getItem", "gus@example.com", Integer.toString(id), "date", "all")
        .result().reply().result();
    assertEquals("mbox2", api.backup(null, "getItem", "gus@example.com", Integer.toString(id)).result().reply().server());
    assertEquals(1, item.get("states").size());
    JsonNode dumped = api.backup(null, "getItem", "gus@example.com", Integer.toString(id), "dump_blob", "true")
        .result().reply().result();
    byte[] raw = Base64.getDecoder().decode(dumped.get("blobBase64").asText());
    byte[] original;
    try (Stream<Path> s = Files.list(mail)) {
      List<byte[]> all = s.sorted().map(p -> {
        try {
          return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
      original = all.stream().filter(b -> java.util.Arrays.equals(b, raw)).findFirst().orElse(null);
    }
    assertArrayEquals(original, raw, "the dumped blob is one of the injected messages, byte for byte");

    JsonNode info = api.backup("mbox1", "getBackupInfo").result().reply().result();
    assertEquals("storefleet-backup 4", info.get("format").asText());
    assertEquals(5, info.get("blobs").asInt());
    assertEquals(1, info.get("accounts").asInt());
    JsonNode accounts = api.backup("mbox2", "getAvailableAccounts").result().reply().result();
    assertEquals("gus@example.com", accounts.get(0).get("name").asText());
    JsonNode acct = api.backup(null, "getAccountInfo", "fay@example.com").result().reply().result();
    assertEquals(5, acct.get("items").asInt());
    assertEquals(List.of("example.com"), List.of(api.backup("mbox1", "getAvailableDomains", "last",
        cluster.worker("mbox1").config.backupPath().toString()).result().reply().result().get(0).asText()));
    Operation check = one("mbox1", "doCoherencyCheck", cluster.worker("mbox1").config.backupPath().toString());
    assertEquals(OperationState.SUCCEEDED, check.state(), String.valueOf(check.error()));
  }

  @Test
  void serverLevelBackupsAndConfig() {
    for (String cmd : List.of("doBackupLDAP", "doBackupServerCustomizations", "doBackupCluster", "doSmartScan")) {
      Operation op = one("mbox1", cmd);
      assertEquals(OperationState.SUCCEEDED, op.state(), cmd + ": " + op.error());
    }
    String config = api.backup("mbox1", "getServerConfig", "standard", "query", "serverConfig/serverId")
        .result().reply().text();
    assertTrue(config.contains("serverId") && config.contains("mbox1"), config);
    String archives = api.backup("mbox1", "getServerConfig", "customizations").result().reply().text();
    assertTrue(archives.contains("customizations_"), archives);
  }

  @Test
  void cosBackupSwitchPurgeAndServicesBroadcast() {
    List<ServerResult> off = api.backup("all_servers", "doEnableDisableCOS", "default", "disable").result()
        .broadcast().results();
    assertTrue(off.stream().allMatch(ServerResult::ok));
    String status = api.backup("mbox2", "getCOSBackupStatus").result().reply().text();
    assertTrue(status.contains("disabled"), status);
    api.backup("all_servers", "doEnableDisableCOS", "default", "enable").result();
    assertTrue(api.backup("mbox2", "getCOSBackupStatus").result().reply().text().contains("enabled"));

    for (Operation op : all("doPurge", "purgeDays", "0")) {
      assertEquals(OperationState.SUCCEEDED, op.state());
      assertTrue(op.stats().verdict().contains("infinite"), op.stats().verdict());
    }
    String services = api.backup("mbox1", "getServices").result().reply().text();
    assertTrue(services.contains("realtime-scanner") && services.contains("scheduler"), services);
    api.backup("mbox1", "doStopService", "scheduler").result();
    assertTrue(api.backup("mbox1", "getServices").result().reply().text().matches("(?s).*scheduler\\s+stopped.*"));
    api.backup("mbox1", "doStartService", "scheduler").result();
    assertEquals("NOT_FOUND", api.backup("mbox1", "doStartService", "nosuch").error().code());
  }
}
