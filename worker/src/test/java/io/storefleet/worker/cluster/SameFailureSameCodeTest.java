package io.storefleet.worker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.worker.admin.ShareResolver;
import io.storefleet.worker.command.CommandEndpoint;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same failure of another server (or of the directory) reaches every operation family that
 * asks the cluster as the same error code: restore's remote shares, raw restore's peers, the
 * share check's servers, the admin share resolver, the front door's proxying and the account
 * directory of imports and restores. Before worker/cluster each family had its own wait and its own mapping.
 *
 * <p>This worker is mbox1. Server {@code gone} is registered but nothing listens at its
 * addresses; {@code mute} listens and never answers; {@code refuses} answers every request with
 * CONFLICT.
 */
class SameFailureSameCodeTest {
  private static final AskTimeout PATIENT = new AskTimeout(Duration.ofSeconds(30), Duration.ofSeconds(5));
  /** Long enough for a local reply, short enough to wait for a mute server a few times. */
  private static final AskTimeout IMPATIENT = new AskTimeout(Duration.ofMillis(300), Duration.ofSeconds(5));

  @TempDir Path dir;
  Vertx vertx;
  ClusterDirectory directory;
  LocalMailStore store;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    directory = new ClusterDirectory(vertx);
    for (String s : List.of("mbox1", "gone", "mute", "refuses")) {
      directory.putServer(new ServerInfo(s, "node-" + s, Instant.EPOCH, "local", "/b", 0, null)).await();
      directory.putAccount(new AccountLocation("owner@" + s + ".example", "id-" + s, s), List.of()).await();
    }
    for (String s : List.of("mute", "refuses")) {
      for (String address : List.of(Addresses.workerCommands(s), Addresses.workerShares(s))) {
        vertx.eventBus().<String>consumer(address, msg -> {
          if (s.equals("refuses")) {
            BusErrors.fail(msg, ErrorCode.CONFLICT.exception("server " + s + " refuses", s), s);
          }
        }).completion().await();
      }
    }
    store = LocalMailStore.open(dir.resolve("store"), MutableClock.atEpoch2026());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    vertx.close().await();
  }

  @Test
  void noServerListeningIsServerUnavailableInEveryFamily() {
    everyFamilyAnswers("gone", PATIENT, ErrorCode.SERVER_UNAVAILABLE);
  }

  @Test
  void aServerThatDoesNotAnswerIsServerTimeoutInEveryFamily() {
    everyFamilyAnswers("mute", IMPATIENT, ErrorCode.SERVER_TIMEOUT);
  }

  @Test
  void aRemoteRefusalKeepsTheRemoteCodeInEveryFamily() {
    everyFamilyAnswers("refuses", PATIENT, ErrorCode.CONFLICT);
  }

  @Test
  void aCallerInterruptedWhileWaitingGetsServerTimeoutInEveryFamily() {
    // Before: SERVER_UNAVAILABLE from restore and imports, INTERNAL from raw restore and shares.
    ClusterWait wait = new ClusterWait(PATIENT, "mbox1");
    for (Map.Entry<String, Runnable> f : blockingFamilies("mute", wait, IMPATIENT).entrySet()) {
      Thread.currentThread().interrupt();
      try {
        StorefleetException e = assertThrows(StorefleetException.class, f.getValue()::run, f.getKey());
        assertEquals(ErrorCode.SERVER_TIMEOUT, e.code(), f.getKey() + ": " + e.getMessage());
        assertFalse(e.code().definite(), f.getKey());
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void aDirectoryThatDoesNotAnswerIsServerTimeoutInEveryFamily() throws Exception {
    // The directory's first look-up of a map runs on a worker thread (Hazelcast may wait for the
    // cluster there); with the only worker thread held, the directory does not answer.
    Vertx stalled = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
    CountDownLatch release = new CountDownLatch(1);
    try {
      CountDownLatch held = new CountDownLatch(1);
      stalled.executeBlocking(() -> {
        held.countDown();
        return release.await(60, TimeUnit.SECONDS);
      });
      held.await();
      ClusterDirectory silent = new ClusterDirectory(stalled);
      ClusterWait wait = new ClusterWait(new AskTimeout(Duration.ofMillis(100), Duration.ofMillis(100)), "mbox1");
      ServerLink link = new ServerLink(stalled, IMPATIENT);
      Mountpoint mount = new Mountpoint("id-gone", 5, "owner@gone.example");
      Map<String, Runnable> families = new LinkedHashMap<>();
      // Before: SERVER_UNAVAILABLE from imports and the server-config dump, SERVER_TIMEOUT from restore.
      families.put("imports/restore: is the address taken", () -> new DirectoryAccounts(silent, wait).serverOf("x@y"));
      families.put("restore: remote shares", () -> new OwnerShares(silent, link, wait).rights(mount, "id-x"));
      families.put("raw restore: other servers", () -> new BusClusterPeers(silent, link, wait, null).others());
      for (Map.Entry<String, Runnable> f : families.entrySet()) {
        StorefleetException e = assertThrows(StorefleetException.class, f.getValue()::run, f.getKey());
        assertEquals(ErrorCode.SERVER_TIMEOUT, e.code(), f.getKey() + ": " + e.getMessage());
        assertEquals("mbox1", e.server(), f.getKey());
      }
    } finally {
      release.countDown();
      stalled.close().await();
    }
  }

  private void everyFamilyAnswers(String server, AskTimeout timeout, ErrorCode expected) {
    ClusterWait wait = new ClusterWait(timeout, "mbox1");
    Map<String, Runnable> families = new LinkedHashMap<>(blockingFamilies(server, wait, timeout));
    ServerLink link = new ServerLink(vertx, timeout);
    ShareResolver resolver = new ShareResolver(directory, link);
    Account holder = new Account("id-h", "holder@mbox1.example", "mbox1.example", "default", "active", Map.of(),
        List.of(), Instant.EPOCH);
    Folder mountFolder = new Folder(300, 1, "Shared", "/Shared", "message",
        new Mountpoint("id-" + server, 5, "owner@" + server + ".example"));
    families.put("admin: mount a remote folder",
        () -> wait.server(resolver.remoteFolder("owner@" + server + ".example", "/Inbox", "test"), server));
    families.put("admin: open a mountpoint", () -> wait.server(resolver.open(holder, mountFolder), server));
    CommandEndpoint frontDoor = new CommandEndpoint(vertx, "mbox1", store, directory, link, new CommandRegistry(),
        null, account -> false, null);
    families.put("front door: proxy to the owner", () -> wait.server(frontDoor.dispatch(
        new CommandRequest("admin", "listFolders", Map.of("account", "owner@" + server + ".example"), null, null,
            "test")), server));
    for (Map.Entry<String, Runnable> f : families.entrySet()) {
      StorefleetException e = assertThrows(StorefleetException.class, f.getValue()::run, f.getKey());
      assertEquals(expected, e.code(), f.getKey() + ": " + e.getMessage());
      assertEquals(server, e.server(), f.getKey() + " names the server that failed");
    }
  }

  /** The families that wait on the queue's thread for {@code server}, each asking it one question. */
  private Map<String, Runnable> blockingFamilies(String server, ClusterWait wait, AskTimeout timeout) {
    ServerLink link = new ServerLink(vertx, timeout);
    OwnerShares shares = new OwnerShares(directory, link, wait);
    BusClusterPeers peers = new BusClusterPeers(directory, link, wait, () -> Future.succeededFuture());
    Mountpoint mount = new Mountpoint("id-" + server, 5, "owner@" + server + ".example");
    Account grantee = new Account("id-g", "grantee@mbox1.example", "mbox1.example", "default", "active", Map.of(),
        List.of(), Instant.EPOCH);
    Map<String, Runnable> families = new LinkedHashMap<>();
    families.put("restore: read the owner's grants", () -> shares.rights(mount, "id-g"));
    families.put("restore: grant on the owner's folder", () -> shares.grant(mount, grantee, "r"));
    families.put("raw restore: admin command on a peer",
        () -> peers.admin(server, AdminCommand.CREATE_DOMAIN, Map.of("domain", "x.example")));
    families.put("shares: a server's share facts", () -> new LinkShareServers(directory, link, wait).facts(server));
    return families;
  }
}
