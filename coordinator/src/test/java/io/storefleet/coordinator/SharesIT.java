package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.testing.ImportSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shares across three servers broken the way an import breaks them, found by one cluster-wide
 * check, fixed by one cluster-wide operation, and opened again through every mountpoint.
 */
@Tag("cluster")
class SharesIT {
  @TempDir Path root;

  /** A share: owner's folder, the grantee, and where the grantee mounts it. */
  record Share(String owner, String folder, String grantee, String mount) {}

  static final List<Share> SHARES = List.of(
      new Share("ann@example.com", "/Projects", "bob@example.com", "/Shared/Ann"),
      new Share("bob@example.com", "/Reports", "cal@example.com", "/Bob reports"),
      new Share("cal@example.com", "/Team", "ann@example.com", "/Team"),
      new Share("cal@example.com", "/Team", "dan@example.com", "/Cal team"),
      new Share("dan@example.com", "/Notes", "cal@example.com", "/Dan notes"));

  /** Where each account lives before the import, and where the import re-creates it (a mirror import). */
  static final Map<String, String[]> MOVES = new LinkedHashMap<>();

  static {
    MOVES.put("ann@example.com", new String[] {"mbox1", "mbox2"});
    MOVES.put("dan@example.com", new String[] {"mbox1", "mbox2"});
    MOVES.put("bob@example.com", new String[] {"mbox2", "mbox3"});
    MOVES.put("cal@example.com", new String[] {"mbox3", "mbox1"});
  }

  /** dan's import wrote no map: the fix must find dan by address. */
  static final String UNMAPPED = "dan@example.com";

  private static List<String> items(Api api, String account, String folder) {
    JsonNode items = api.admin(null, "listItems", account, "folder", folder).result().reply().result();
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(i.get("subject").asText() + " " + i.get("digest").asText()));
    return out;
  }

  private static void everyMountpointShowsItsOwnersFolder(Api api) {
    for (Share s : SHARES) {
      List<String> own = items(api, s.owner(), s.folder());
      assertTrue(!own.isEmpty(), s.toString());
      assertEquals(own, items(api, s.grantee(), s.mount()), s + " through the mountpoint");
    }
  }

  private static Operation finish(Api api, Operation op) {
    await().atMost(Duration.ofSeconds(60)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  @Test
  void anImportBreaksEveryCrossServerShareAndOneClusterWideFixRepairsThemAll() throws Exception {
    try (TestCluster cluster = TestCluster.start(root, 3, 1)) {
      Api api = cluster.api();
      api.admin(null, "createDomain", "example.com").result();
      for (Map.Entry<String, String[]> m : MOVES.entrySet()) {
        api.admin(m.getValue()[0], "createAccount", m.getKey()).result();
      }
      int n = 1;
      for (Share s : SHARES) {
        Path mail = Messages.folder(root.resolve("mail" + n), s.owner().split("@")[0] + n, n + 1);
        n++;
        api.admin(null, "injectMessages", s.owner(), mail.toString(), "folder", s.folder()).result();
        api.admin(null, "grantFolder", s.owner(), s.folder(), s.grantee(), "rights", "rw").result();
        api.admin(null, "mountShare", s.grantee(), s.owner(), s.folder(), s.mount()).result();
      }
      everyMountpointShowsItsOwnersFolder(api);
      assertEquals(0, api.backup("all_servers", "doCheckShares").result().reply().result()
          .get("summary").get("broken").asInt());

      // The import: capture every account, delete it, re-create it on its destination under new ids.
      Map<String, ImportSimulator.Captured> captured = new LinkedHashMap<>();
      MOVES.forEach((name, move) -> captured.put(name, ImportSimulator.capture(cluster.worker(move[0]).store(), name)));
      Map<String, String> oldIds = new HashMap<>();
      for (String name : MOVES.keySet()) {
        oldIds.put(name, captured.get(name).account().id());
        api.admin(null, "deleteAccount", name).result();
      }
      Map<String, String> newIds = new HashMap<>();
      Map<String, Map<Integer, Integer>> idMaps = new HashMap<>();
      for (Map.Entry<String, String[]> m : MOVES.entrySet()) {
        String dest = m.getValue()[1];
        // The directory's near caches may still hold the deleted account for a moment (ALREADY_EXISTS, definite).
        Api.Answer[] created = new Api.Answer[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> (created[0] = api.admin(dest, "createAccount", m.getKey()))
            .status() == 200);
        String id = created[0].result().reply().result().get("id").asText();
        newIds.put(m.getKey(), id);
        Map<Integer, Integer> ids = ImportSimulator.recreate(captured.get(m.getKey()), cluster.worker(dest).store(), id);
        idMaps.put(m.getKey(), ids);
        if (!m.getKey().equals(UNMAPPED)) {
          ImportSimulator.writeMap(cluster.worker(dest).config.backupPath(), m.getValue()[0], captured.get(m.getKey()),
              id, ids);
        }
      }
      ErrorInfo broken = api.admin(null, "listItems", "bob@example.com", "folder", "/Shared/Ann").error();
      assertEquals("UNKNOWN_ACCOUNT", broken.code());
      assertTrue(broken.message().contains("doCheckShares"), broken.message());

      // The check: every grant and every mountpoint, with its cause and the fix the merged maps give.
      ApiResult checked = api.backup("all_servers", "doCheckShares").result();
      JsonNode report = checked.reply().result();
      assertEquals("all_servers", checked.reply().server());
      assertEquals("[\"mbox1:map_mbox3\",\"mbox2:map_mbox1\",\"mbox3:map_mbox2\"]", report.get("maps").toString());
      JsonNode summary = report.get("summary");
      assertEquals(List.of(5, 5, 10, 10), List.of(summary.get("grants").asInt(), summary.get("mountpoints").asInt(),
          summary.get("broken").asInt(), summary.get("fixable").asInt()), checked.text());
      Set<String> seen = new java.util.HashSet<>();
      for (JsonNode p : report.get("problems")) {
        JsonNode fix = p.get("fix");
        if (p.get("kind").asText().equals("GRANT")) {
          Share s = SHARES.stream().filter(x -> x.owner().equals(p.get("owner").get("name").asText())
              && x.grantee().equals(p.get("grantee").get("name").asText())).findFirst().orElseThrow();
          assertEquals("GRANTEE_UNKNOWN", p.get("cause").asText());
          assertEquals(MOVES.get(s.owner())[1], p.get("server").asText(), "the grant lives with its owner");
          assertEquals(oldIds.get(s.grantee()), p.get("grantee").get("id").asText());
          assertTrue(p.get("grantee").get("server") == null, "the old id is on no server");
          assertEquals("REGRANT", fix.get("action").asText());
          assertEquals(newIds.get(s.grantee()), fix.get("newGranteeId").asText());
          assertEquals(s.grantee().equals(UNMAPPED) ? "NAME" : "MAP", p.get("resolution").get("via").asText());
          seen.add("grant " + s);
        } else {
          Share s = SHARES.stream().filter(x -> x.mount().equals(p.get("folderPath").asText())
              && x.grantee().equals(p.get("grantee").get("name").asText())).findFirst().orElseThrow();
          assertEquals("OWNER_UNKNOWN", p.get("cause").asText());
          assertEquals(MOVES.get(s.grantee())[1], p.get("server").asText(), "the mountpoint lives with its holder");
          assertEquals(oldIds.get(s.owner()), p.get("owner").get("id").asText());
          int oldFolder = captured.get(s.owner()).folders().stream().filter(f -> f.path().equals(s.folder()))
              .findFirst().orElseThrow().id();
          assertEquals(oldFolder, p.get("remoteFolderId").asInt());
          assertEquals("REPOINT", fix.get("action").asText());
          assertEquals(newIds.get(s.owner()), fix.get("to").get("ownerId").asText());
          assertEquals((int) idMaps.get(s.owner()).get(oldFolder), fix.get("to").get("remoteFolderId").asInt());
          assertEquals(s.owner().equals(UNMAPPED) ? "NAME" : "MAP", p.get("resolution").get("via").asText());
          seen.add("mount " + s);
        }
        assertTrue(p.get("fixable").asBoolean());
      }
      assertEquals(10, seen.size(), "each share's grant and mountpoint is listed once");
      assertTrue(checked.text().contains("10 broken share(s): 10 fixable (2 without a map entry), 0 not fixable."),
          checked.text());
      assertTrue(checked.text().contains("owner unknown") && checked.text().contains("grantee unknown"),
          checked.text());

      // One server's check is that server's part of the same report.
      JsonNode mbox2 = api.backup("mbox2", "doCheckShares").result().reply().result();
      assertEquals(4, mbox2.get("summary").get("broken").asInt(), "ann's and dan's grants and mountpoints");
      mbox2.get("problems").forEach(p -> assertEquals("mbox2", p.get("server").asText()));
      JsonNode map = api.backup("mbox2", "getMap", "map_mbox1").result().reply().result();
      assertEquals("mbox1", map.get("source").asText());
      assertEquals(newIds.get("ann@example.com"), map.get("accounts").get(0).get("newId").asText());

      // The fix: one operation, for the whole cluster.
      ApiResult queued = api.backup("all_servers", "doFixShares", "all").result();
      Operation op = finish(api, queued.reply().operation());
      assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
      assertEquals(5, op.stats().counter("regranted"));
      assertEquals(5, op.stats().counter("repointed"));
      assertEquals(2, op.stats().counter("byName"));
      assertEquals(0, op.stats().counter("remaining"));

      ApiResult after = api.backup("all_servers", "doCheckShares").result();
      assertEquals(0, after.reply().result().get("summary").get("broken").asInt(), after.text());
      assertTrue(after.text().contains("No broken share."), after.text());
      everyMountpointShowsItsOwnersFolder(api);
      for (Share s : SHARES) {
        MailStore holder = cluster.worker(MOVES.get(s.grantee())[1]).store();
        var mount = holder.folder(newIds.get(s.grantee()), s.mount()).orElseThrow().mount();
        assertEquals(newIds.get(s.owner()), mount.ownerId(), s.toString());
      }
    }
  }
}
