package io.storefleet.coordinator.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.shares.ClusterShares;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing of server commands on one local Vert.x, with two fake workers on the event bus. */
class CommandRouterTest {
  Vertx vertx;
  CommandRouter router;
  final List<String> received = Collections.synchronizedList(new ArrayList<>());
  final Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ClusterDirectory directory = new ClusterDirectory(vertx);
    for (String s : List.of("mbox1", "mbox2")) {
      directory.putServer(new ServerInfo(s, "node-" + s, Instant.EPOCH, "local", "/b", 0, null)).await();
      vertx.eventBus().<String>consumer(Addresses.workerCommands(s), msg -> {
        CommandRequest req = Json.decode(msg.body(), CommandRequest.class);
        received.add(s + " " + req.command() + " " + req.params());
        msg.reply(Json.encode(new CommandReply(s, false, null, null, null, "ok on " + s)));
      }).completion().await();
    }
    directory.putAccount(new io.storefleet.protocol.wire.AccountLocation("ann@x.test", "id-ann", "mbox2"), List.of())
        .await();
    live.addAll(Set.of("node-mbox1", "node-mbox2"));
    ServerLiveness liveness = new ServerLiveness(directory, () -> Set.copyOf(live), Clock.systemUTC());
    WorkerClient client = new WorkerClient(vertx, Duration.ofSeconds(5));
    router = new CommandRouter(directory, liveness, client,
        new ClusterShares(vertx, liveness, Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private ApiResult backup(String target, String... args) {
    return router.submit(Module.BACKUP, List.of(args), target, "t").await();
  }

  @Test
  void aGlobalSetPropertyWithoutATargetGoesToEveryServer() {
    ApiResult r = backup(null, "setProperty", "ZxBackup_DataRetentionDays", "60", "scope", "GLOBAL");
    assertEquals("broadcast", r.kind());
    assertEquals(List.of("mbox1", "mbox2"), r.broadcast().results().stream().map(ServerResult::server).toList());
    assertEquals(2, received.size());
    assertTrue(received.stream().allMatch(m -> m.contains("scope=global")), received.toString());
  }

  @Test
  void aGlobalSetPropertyWithATargetGoesOnlyThere() {
    ApiResult r = backup("mbox2", "setProperty", "ZxBackup_DataRetentionDays", "60", "scope", "global");
    assertEquals("reply", r.kind());
    assertEquals(List.of("mbox2"), received.stream().map(m -> m.split(" ")[0]).toList());
  }

  @Test
  void aServerSetPropertyStillNeedsATarget() {
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> backup(null, "setProperty", "ZxBackup_DataRetentionDays", "60"));
    assertEquals(ErrorCode.TARGET_REQUIRED, e.code());
    e = assertThrows(StorefleetException.class,
        () -> backup(null, "getProperty", "scope", "global"));
    assertEquals(ErrorCode.TARGET_REQUIRED, e.code(), "only setProperty is broadcast by scope");
    assertEquals(List.of(), received);
  }

  @Test
  void theClusterWideShareFixIsOneOperationOnTheFirstServer() {
    ApiResult r = backup("all_servers", "doFixShares", "all");
    assertEquals("reply", r.kind());
    assertEquals(List.of("mbox1 doFixShares {import_idmap_file=all}"), received);
    assertTrue(r.text().contains("one operation"), r.text());
    received.clear();
    backup(null, "doFixShares", "ALL");
    assertEquals(List.of("mbox1 doFixShares {import_idmap_file=ALL}"), received, "no target means the cluster too");
  }

  @Test
  void aShareFixWithOneMapFileIsSentToEveryServerOrTheNamedOne() {
    ApiResult r = backup("all_servers", "doFixShares", "map_mbox3");
    assertEquals("broadcast", r.kind());
    assertEquals(2, received.size());
    received.clear();
    backup("mbox2", "doFixShares", "all");
    assertEquals(List.of("mbox2 doFixShares {import_idmap_file=all}"), received, "a named server runs it");
  }

  /**
   * Only the operator's values travel: the worker that runs the command fills in the defaults,
   * so a worker one version older is never sent an optional parameter it does not know unless
   * the operator used it.
   */
  @Test
  void theCoordinatorSendsTheOperatorsValuesWithoutDefaults() {
    backup("mbox1", "doSmartScan");
    backup("mbox2", "doSmartScan", "DEEP", "True");
    backup("mbox1", "setProperty", "ZxBackup_DataRetentionDays", "60");
    assertEquals(List.of("mbox1 doSmartScan {}", "mbox2 doSmartScan {deep=true}",
        "mbox1 setProperty {property_name=ZxBackup_DataRetentionDays, property_value=60}"), received,
        "given values in canonical form, and no defaults (deep=false, scope=server, ...)");
  }

  /**
   * A backup_path is a folder on the named server's machine: when that server is down the request
   * fails naming it, and is not sent to the account's owner, which would read its own folder of
   * that name.
   */
  @Test
  void aNamedBackupPathIsReadOnlyByTheNamedServer() {
    live.remove("node-mbox1");
    StorefleetException e = assertThrows(StorefleetException.class, () -> backup("mbox1", "doRestoreOnNewAccount",
        "ann@x.test", "ann2@x.test", "last", "backup_path", "/srv/old-mbox1"));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code(), e.getMessage());
    assertEquals("mbox1", e.server());
    assertEquals(List.of(), received, "sent nowhere");

    // Without a path of its own, the owner may serve it in the named server's place.
    ApiResult r = backup("mbox1", "doRestoreOnNewAccount", "ann@x.test", "ann2@x.test", "last");
    assertEquals(List.of("mbox2 doRestoreOnNewAccount {source_account=ann@x.test, destination_account=ann2@x.test,"
        + " date=last}"), received);
    assertTrue(r.text().contains("named server mbox1 is unreachable"), r.text());
  }
}
