package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.SharesAfterImport;
import io.storefleet.coordinator.testing.SharesAfterImport.Share;
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
  private static final List<Share> SHARES = SharesAfterImport.SHARES;
  private static final Map<String, String[]> MOVES = SharesAfterImport.MOVES;
  private static final String UNMAPPED = SharesAfterImport.UNMAPPED;

  @TempDir Path root;

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
      SharesAfterImport.share(api, root);
      everyMountpointShowsItsOwnersFolder(api);
      assertEquals(0, api.backup("all_servers", "doCheckShares").result().reply().result()
          .get("summary").get("broken").asInt());

      // The import: capture every account, delete it, re-create it on its destination under new ids.
      SharesAfterImport.Imported imported = SharesAfterImport.importAll(cluster, api);
      Map<String, ImportSimulator.Captured> captured = imported.captured();
      Map<String, String> oldIds = imported.oldIds();
      Map<String, String> newIds = imported.newIds();
      Map<String, Map<Integer, Integer>> idMaps = imported.idMaps();
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
