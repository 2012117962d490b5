package io.storefleet.coordinator.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.fabric.bus.BusErrors;
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
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing of commands for an account no server owns any more: the server whose backup holds it
 * gets them. Three fake workers; mbox3 is registered but down.
 */
class GoneAccountRoutingTest {
  Vertx vertx;
  CommandRouter router;
  final List<String> received = Collections.synchronizedList(new ArrayList<>());
  /** What each server's backup says about ann (getAccountInfo's data), or absent when it does not know her. */
  final Map<String, Map<String, Object>> backups = new HashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ClusterDirectory directory = new ClusterDirectory(vertx);
    for (String s : List.of("mbox1", "mbox2", "mbox3")) {
      directory.putServer(new ServerInfo(s, "node-" + s, Instant.EPOCH, "local", "/b", 0, null)).await();
      vertx.eventBus().<String>consumer(Addresses.workerCommands(s), msg -> {
        CommandRequest req = Json.decode(msg.body(), CommandRequest.class);
        received.add(s + " " + req.command());
        if (req.command().equals("getAccountInfo")) {
          Map<String, Object> info = backups.get(s);
          if (info == null) {
            BusErrors.fail(msg, ErrorCode.UNKNOWN_ACCOUNT.exception("not here", s), s);
            return;
          }
          msg.reply(Json.encode(new CommandReply(s, false, null, null, Json.tree(info), "info")));
          return;
        }
        msg.reply(Json.encode(new CommandReply(s, false, null, null, null, "ran on " + s)));
      }).completion().await();
    }
    ServerLiveness liveness = new ServerLiveness(directory, () -> Set.of("node-mbox1", "node-mbox2"), Clock.systemUTC());
    WorkerClient client = new WorkerClient(vertx, Duration.ofSeconds(5));
    router = new CommandRouter(directory, liveness, client,
        new io.storefleet.coordinator.shares.ClusterShares(vertx, liveness, Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Map<String, Object> info(boolean deleted, String at) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("deleted", deleted);
    m.put("excluded", null);
    m.put("lastRecorded", at);
    return m;
  }

  private ApiResult backup(String... args) {
    return router.submit(Module.BACKUP, List.of(args), null, "t").await();
  }

  @Test
  void aDeletedAccountGoesToTheServerWithItsLatestDeletion() {
    backups.put("mbox1", info(true, "2026-01-01T00:00:00Z"));
    backups.put("mbox2", info(true, "2026-02-01T00:00:00Z"));
    ApiResult r = backup("doRestoreDeletedAccount", "ann@example.com", "ann2@example.com");
    assertTrue(r.text().startsWith("ran on mbox2"), r.text());
    assertTrue(r.text().contains("whose backup holds it"), r.text());
    assertTrue(received.contains("mbox2 doRestoreDeletedAccount"));
    assertFalse(received.contains("mbox1 doRestoreDeletedAccount"));
  }

  @Test
  void aDeletionBeatsALaterRecordOfAnAccountStillLiveInABackup() {
    backups.put("mbox1", info(true, "2026-01-01T00:00:00Z"));
    backups.put("mbox2", info(false, "2026-03-01T00:00:00Z"));
    assertTrue(backup("doItemSearch", "ann@example.com").text().startsWith("ran on mbox1"));
  }

  @Test
  void noBackupHoldsItWhileAServerIsDownIsIndefiniteAndNamesIt() {
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> backup("doRestoreDeletedAccount", "ann@example.com", "ann2@example.com"));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertFalse(e.code().definite());
    assertTrue(e.getMessage().contains("mbox3"), e.getMessage());
  }

  @Test
  void commandsThatNeedALiveAccountAreNotLookedUpInBackups() {
    backups.put("mbox1", info(true, "2026-01-01T00:00:00Z"));
    StorefleetException e = assertThrows(StorefleetException.class, () -> backup("doUndelete", "ann@example.com",
        "first", "last"));
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT, e.code());
    assertTrue(received.isEmpty(), received.toString());
  }
}
