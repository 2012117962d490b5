package io.storefleet.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.config.Settings;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.config.WorkerConfig;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole worker started from a configuration file with {@code store.kind=imap}, driven through
 * its event-bus front door as the coordinator drives it: the demo's kind of seeding (COS, domain,
 * account in a COS, list, folders, injected mail), a SmartScan and a restore on a new account, all
 * on Dovecot.
 */
class WorkerImapStartTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();
  private static final String SERVER = "mbox1";

  @TempDir Path dir;

  @Test
  void aWorkerWithTheImapStoreFromItsConfigFileIsSeededScannedAndRestores() throws Exception {
    DovecotServer d = DOVECOT.server();
    Path props = dir.resolve("worker.properties");
    Files.writeString(props, String.join("\n",
        "server.id=" + SERVER,
        "server.dataDir=" + dir.resolve("data"),
        "server.allowedRoots=" + dir,
        "store.kind=imap",
        "store.imapHost=127.0.0.1",
        "store.imapPort=" + d.imapPort(),
        "store.imapTls=none",
        "store.imapMasterUser=" + d.masterUser(),
        "store.imapMasterPasswordFile=" + d.masterPasswordFile(),
        "store.doveadmUrl=http://127.0.0.1:" + d.httpPort() + "/doveadm/v1",
        "store.doveadmPasswordFile=" + d.doveadmPasswordFile(),
        "store.usersFile=" + d.usersFile(),
        "store.viewNamespaces=" + String.join(",", DovecotServer.VIEW_NAMESPACES),
        ""));
    WorkerConfig config = WorkerMain.config(Settings.parse(new String[] {"--config", props.toString()},
        WorkerMain.KEYS));
    assertEquals(StoreConfig.IMAP, config.store().kind());
    Path mail = dir.resolve("mail");
    Files.createDirectories(mail);
    Files.write(mail.resolve("001.eml"), "From: bob@acme.test\nSubject: one\n\nfirst\n".getBytes(UTF_8));
    Files.write(mail.resolve("002.eml"), "From: bob@acme.test\r\nSubject: two\r\n\r\nsecond\r\n".getBytes(UTF_8));

    Vertx vertx = Vertx.vertx();
    WorkerNode node = WorkerNode.start(vertx, "node-" + SERVER, config, Clock.systemUTC(), Pacer.NONE).await();
    try {
      WorkerClient client = new WorkerClient(vertx, Duration.ofSeconds(120));
      send(client, "admin", "createCos", Map.of("cos", "staff", "notes", "demo staff COS"));
      send(client, "admin", "createDomain", Map.of("domain", "acme.test"));
      send(client, "admin", "createAccount", Map.of("account", "ann@acme.test", "cos", "staff", "display_name", "Ann"));
      send(client, "admin", "createDistributionList", Map.of("list", "all@acme.test", "members", "ann@acme.test"));
      send(client, "admin", "createFolder", Map.of("account", "ann@acme.test", "path", "/Archive/2025"));
      send(client, "admin", "injectMessages", Map.of("account", "ann@acme.test", "source", mail.toString(),
          "folder", "/Inbox/Projects", "flags", "seen"));
      JsonNode accounts = send(client, "admin", "listAccounts", Map.of()).result();
      assertTrue(accounts.toString().contains("\"staff\""), accounts.toString());

      assertEquals(OperationState.SUCCEEDED, finished(client, send(client, "backup", "doSmartScan", Map.of())).state());
      Operation restore = finished(client, send(client, "backup", "doRestoreOnNewAccount",
          Map.of("source_account", "ann@acme.test", "destination_account", "ann.copy@acme.test", "date", "last")));
      assertEquals(OperationState.SUCCEEDED, restore.state(), restore.error() + " " + restore.stats().verdict());
      assertEquals(2, restore.stats().counter("restored"));

      ImapTestClient imap = new ImapTestClient(ImapTestClient.config(d));
      List<ImapTestClient.Served> original = imap.all("ann@acme.test");
      assertEquals(2, original.size());
      assertEquals(ImapTestClient.multiset(original), ImapTestClient.multiset(imap.all("ann.copy@acme.test")));
    } finally {
      node.stop().await();
      vertx.close().await();
    }
  }

  private static CommandReply send(WorkerClient client, String module, String command, Map<String, String> params) {
    return client.send(SERVER, new CommandRequest(module, command, params, null, null, "test")).await();
  }

  private static Operation finished(WorkerClient client, CommandReply queued) {
    String uuid = queued.operation().uuid();
    await().atMost(Duration.ofSeconds(120)).until(() -> monitor(client, uuid).state().terminal());
    return monitor(client, uuid);
  }

  private static Operation monitor(WorkerClient client, String uuid) {
    return Json.fromTree(send(client, "backup", "monitor", Map.of("operation_uuid", uuid)).result(), Operation.class);
  }
}
