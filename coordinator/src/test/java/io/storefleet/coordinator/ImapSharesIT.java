package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.SharesAfterImport;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.ImportSimulator;
import io.storefleet.worker.testing.dovecot.DovecotCluster;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shares between three Dovecot servers, each behind its own worker: grants are IMAP ACLs,
 * mountpoints records in the grantee's METADATA, and every grantee, logged in over IMAP on its own
 * server, opens the owner's folder on another one (DovecotCluster: imapc through a proxy). An
 * owner moved to another server breaks the shares the way an import does; one cluster-wide check
 * lists them, one fix repairs them.
 */
@Tag("cluster")
class ImapSharesIT {
  @TempDir Path root;

  static final List<SharesAfterImport.Share> SHARES = List.of(
      new SharesAfterImport.Share("ann@example.com", "/Projects", "bob@example.com", "/Shared/Ann"),
      new SharesAfterImport.Share("bob@example.com", "/Reports", "ann@example.com", "/Bob reports"),
      new SharesAfterImport.Share("cal@example.com", "/Team", "ann@example.com", "/Team"));

  static final Map<String, String> HOME = new LinkedHashMap<>();

  static {
    HOME.put("ann@example.com", "mbox1");
    HOME.put("bob@example.com", "mbox2");
    HOME.put("cal@example.com", "mbox3");
  }

  /** ann moves from mbox1 to mbox3, with new ids, as an import re-creates her. */
  static final String MOVED = "ann@example.com";
  static final String TO = "mbox3";

  static List<String> subjects(Api api, String account, String folder) {
    JsonNode items = api.admin(null, "listItems", account, "folder", folder).result().reply().result();
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(i.get("subject").asText()));
    return out;
  }

  /** What a mail client logged in as {@code user} on its own server reads in the owner's shared folder. */
  static List<String> overImap(DovecotServer own, String user, SharesAfterImport.Share s) throws Exception {
    Store client = own.login(user, "pw-" + user);
    try {
      String name = "shared/" + s.owner() + "/" + s.folder().substring(1);
      List<String> listed = java.util.Arrays.stream(client.getDefaultFolder().list("*")).map(Folder::getFullName)
          .toList();
      assertTrue(listed.contains(name), user + " lists " + listed);
      Folder f = client.getFolder(name);
      f.open(Folder.READ_ONLY);
      List<String> out = new ArrayList<>();
      for (Message m : f.getMessages()) {
        out.add(m.getSubject());
      }
      f.close();
      return out;
    } finally {
      client.close();
    }
  }

  static int index(String server) {
    return Integer.parseInt(server.substring("mbox".length())) - 1;
  }

  private static void everyShareOpens(Api api, DovecotCluster dovecot, Map<String, String> home) throws Exception {
    for (SharesAfterImport.Share s : SHARES) {
      List<String> own = subjects(api, s.owner(), s.folder());
      assertTrue(!own.isEmpty(), s.toString());
      assertEquals(own, subjects(api, s.grantee(), s.mount()), s + " through the mountpoint");
      DovecotServer granteeServer = dovecot.backend(index(home.get(s.grantee())));
      assertEquals(new TreeSet<>(own), new TreeSet<>(overImap(granteeServer, s.grantee(), s)),
          s + " over IMAP on the grantee's own server" + dovecot.logs());
    }
  }

  static Operation finish(Api api, Operation op) {
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  @Test
  void sharesAcrossDovecotServersAreCheckedAndFixedAfterTheOwnerMoves() throws Exception {
    DovecotExtension.requireDovecot();
    try (DovecotCluster dovecot = DovecotCluster.start(3); TestCluster cluster = TestCluster.start(root, 0, 1)) {
      for (int i = 0; i < 3; i++) {
        cluster.addWorker("mbox" + (i + 1), new StoreConfig(StoreConfig.IMAP, ImapTestClient.config(dovecot.backend(i))));
      }
      Api api = cluster.api();
      for (Map.Entry<String, String> h : HOME.entrySet()) {
        api.admin(h.getValue(), "createAccount", h.getKey()).result();
        dovecot.backend(index(h.getValue())).setPassword(h.getKey(), "pw-" + h.getKey());
      }
      int n = 1;
      for (SharesAfterImport.Share s : SHARES) {
        Path mail = Messages.folder(root.resolve("mail" + n), s.owner().split("@")[0] + n, n + 1);
        n++;
        api.admin(null, "injectMessages", s.owner(), mail.toString(), "folder", s.folder()).result();
        api.admin(null, "grantFolder", s.owner(), s.folder(), s.grantee(), "rights", "rw").result();
        api.admin(null, "mountShare", s.grantee(), s.owner(), s.folder(), s.mount()).result();
      }
      everyShareOpens(api, dovecot, HOME);
      assertEquals(0, api.backup("all_servers", "doCheckShares").result().reply().result()
          .get("summary").get("broken").asInt());

      // The move: capture ann, delete her, re-create her on mbox3 under new ids, with mbox3's map.
      String from = HOME.get(MOVED);
      ImportSimulator.Captured captured = ImportSimulator.capture(cluster.worker(from).store(), MOVED);
      api.admin(null, "deleteAccount", MOVED).result();
      Api.Answer[] created = new Api.Answer[1];
      await().atMost(Duration.ofSeconds(30)).until(() -> (created[0] = api.admin(TO, "createAccount", MOVED))
          .status() == 200);
      String newId = created[0].result().reply().result().get("id").asText();
      Map<Integer, Integer> ids = ImportSimulator.recreate(captured, cluster.worker(TO).store(), newId);
      ImportSimulator.writeMap(cluster.worker(TO).config.backupPath(), from, captured, newId, ids);
      Map<String, String> home = new LinkedHashMap<>(HOME);
      home.put(MOVED, TO);
      dovecot.backend(index(TO)).setPassword(MOVED, "pw-" + MOVED);

      // The check: bob's mountpoint names ann's old id, bob's and cal's grants name it too, so ann's
      // own mountpoints of their folders have no grant until those are re-granted.
      ApiResult checked = api.backup("all_servers", "doCheckShares").result();
      JsonNode report = checked.reply().result();
      assertEquals(5, report.get("summary").get("broken").asInt(), checked.text());
      List<String> problems = new ArrayList<>();
      for (JsonNode p : report.get("problems")) {
        problems.add(p.get("server").asText() + " " + p.get("kind").asText() + " " + p.get("folderPath").asText()
            + " " + p.get("cause").asText() + " " + p.path("fix").path("action").asText("-"));
      }
      assertEquals(new TreeSet<>(List.of("mbox2 GRANT /Reports GRANTEE_UNKNOWN REGRANT",
          "mbox3 GRANT /Team GRANTEE_UNKNOWN REGRANT", "mbox2 MOUNTPOINT /Shared/Ann OWNER_UNKNOWN REPOINT",
          "mbox3 MOUNTPOINT /Bob reports NO_GRANT -", "mbox3 MOUNTPOINT /Team NO_GRANT -")),
          new TreeSet<>(problems), checked.text());
      ErrorInfo broken = api.admin(null, "listItems", "bob@example.com", "folder", "/Shared/Ann").error();
      assertEquals("UNKNOWN_ACCOUNT", broken.code(), "the mountpoint names ann's old id");

      Operation op = finish(api, api.backup("all_servers", "doFixShares", "all").result().reply().operation());
      assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
      assertEquals(2, op.stats().counter("regranted"));
      assertEquals(1, op.stats().counter("repointed"));
      assertEquals(0, op.stats().counter("remaining"));
      ApiResult after = api.backup("all_servers", "doCheckShares").result();
      assertEquals(0, after.reply().result().get("summary").get("broken").asInt(), after.text());
      everyShareOpens(api, dovecot, home);
    }
  }
}
