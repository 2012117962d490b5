package io.storefleet.coordinator.testing;

import static org.awaitility.Awaitility.await;

import io.storefleet.worker.testing.ImportSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares across three servers ({@code mbox1..3}) broken the way an import breaks them: every
 * account is re-created on another server under a new id, one of them without an import map.
 * Used by SharesIT (which checks the report and the fix in detail) and the console's browser test.
 */
public final class SharesAfterImport {
  private SharesAfterImport() {}

  /** A share: owner's folder, the grantee, and where the grantee mounts it. */
  public record Share(String owner, String folder, String grantee, String mount) {}

  public static final List<Share> SHARES = List.of(
      new Share("ann@example.com", "/Projects", "bob@example.com", "/Shared/Ann"),
      new Share("bob@example.com", "/Reports", "cal@example.com", "/Bob reports"),
      new Share("cal@example.com", "/Team", "ann@example.com", "/Team"),
      new Share("cal@example.com", "/Team", "dan@example.com", "/Cal team"),
      new Share("dan@example.com", "/Notes", "cal@example.com", "/Dan notes"));

  /** Where each account lives before the import, and where the import re-creates it (a mirror import). */
  public static final Map<String, String[]> MOVES = new LinkedHashMap<>();

  static {
    MOVES.put("ann@example.com", new String[] {"mbox1", "mbox2"});
    MOVES.put("dan@example.com", new String[] {"mbox1", "mbox2"});
    MOVES.put("bob@example.com", new String[] {"mbox2", "mbox3"});
    MOVES.put("cal@example.com", new String[] {"mbox3", "mbox1"});
  }

  /** dan's import wrote no map: the fix must find dan by address. */
  public static final String UNMAPPED = "dan@example.com";

  /** What the import did: each account as it was, its old and new id, and its folder id map. */
  public record Imported(Map<String, ImportSimulator.Captured> captured, Map<String, String> oldIds,
      Map<String, String> newIds, Map<String, Map<Integer, Integer>> idMaps) {}

  /** Makes the accounts where MOVES starts them, with mail, and every share of SHARES. */
  public static void share(Api api, Path mailDir) throws IOException {
    api.admin(null, "createDomain", "example.com").result();
    for (Map.Entry<String, String[]> m : MOVES.entrySet()) {
      api.admin(m.getValue()[0], "createAccount", m.getKey()).result();
    }
    int n = 1;
    for (Share s : SHARES) {
      Path mail = Messages.folder(mailDir.resolve("mail" + n), s.owner().split("@")[0] + n, n + 1);
      n++;
      api.admin(null, "injectMessages", s.owner(), mail.toString(), "folder", s.folder()).result();
      api.admin(null, "grantFolder", s.owner(), s.folder(), s.grantee(), "rights", "rw").result();
      api.admin(null, "mountShare", s.grantee(), s.owner(), s.folder(), s.mount()).result();
    }
  }

  /** The import: captures every account, deletes it, re-creates it on its destination under a new id. */
  public static Imported importAll(TestCluster cluster, Api api) throws IOException {
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
    return new Imported(captured, oldIds, newIds, idMaps);
  }
}
