package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.ServerResult;
import io.storefleet.worker.testing.TreeCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual's multi-server disaster recovery on a three-server cluster: every store is lost and
 * replaced by an empty one beside the kept backup path; a full raw restore runs on the first
 * server, raw restores with skipProvisioning true on the others, then doRestoreBlobs on each.
 * Every account, folder, item id, share and content must be back, and routing by account must
 * find each account on its server again.
 */
@Tag("cluster")
class DisasterRecoveryIT {
  private static final List<String> SERVERS = List.of("mbox1", "mbox2", "mbox3");

  @TempDir Path root;
  private Api api;

  /** One account as the cluster shows it: its server, folders, items per folder and shares. */
  private record Mailbox(String server, JsonNode folders, Map<String, JsonNode> items, JsonNode shares) {}

  @Test
  void everyServerLostAndRebuiltFromItsBackupPath() throws Exception {
    try (TestCluster cluster = TestCluster.start(root, 3, 1)) {
      api = cluster.api();
      Set<String> injected = seed();
      for (Operation op : all("doSmartScan")) {
        assertEquals(OperationState.SUCCEEDED, op.state(), () -> String.valueOf(op.error()));
      }
      Map<String, Mailbox> before = mailboxes();

      for (String s : SERVERS) {
        cluster.stopWorker(s);
        loseStore(cluster.worker(s).config.dataDir());
      }
      for (String s : SERVERS) {
        cluster.startWorker(s);
      }
      assertEquals("UNKNOWN_ACCOUNT", api.admin(null, "listFolders", "u1a@example.com").error().code(),
          "the replacement servers start empty");

      Operation full = one("mbox1", "doRawRestore", backupPath(cluster, "mbox1"));
      assertEquals(2, full.stats().counter("serversProvisioned"), "the other servers got the provisioning");
      for (String s : List.of("mbox2", "mbox3")) {
        one(s, "doRawRestore", backupPath(cluster, s), "skipProvisioning", "true");
      }
      for (String s : SERVERS) {
        Operation dry = one(s, "doRestoreBlobs", "1");
        assertTrue(dry.stats().counter("blobsToRestore") > 0, OperationText.stats(dry.stats()));
        assertEquals(0, dry.stats().counter("restored"));
        Operation real = one(s, "doRestoreBlobs", "1", "dryrun", "false");
        long items = before.entrySet().stream().filter(e -> e.getValue().server().equals(s))
            .mapToLong(e -> e.getValue().items().values().stream().mapToLong(JsonNode::size).sum()).sum();
        assertEquals(items, real.stats().counter("restored"), OperationText.stats(real.stats()));
      }

      // A lookup made while the account was missing may be answered from a member's near cache
      // until the directory's invalidation reaches it (Hazelcast batches those, seconds at most).
      for (String account : before.keySet()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.admin(null, "listFolders", account).status() == 200);
      }
      Map<String, Mailbox> after = mailboxes();
      assertEquals(before, after, "accounts, servers, folder and item ids, shares: all as they were");
      Set<String> digests = new HashSet<>();
      after.values().forEach(m -> m.items().values().forEach(list -> list.forEach(i -> digests.add(i.get("digest").asText()))));
      assertTrue(digests.containsAll(injected), "every injected message is an item again");
      for (Operation op : all("doSmartScan", "deep", "true")) {
        assertEquals(OperationState.SUCCEEDED, op.state(), () -> op.error() + "\n" + OperationText.stats(op.stats()));
        assertEquals(0, op.stats().counter("itemsUnreadable"), "every content reads back as its digest");
      }
      CommandReply info = api.backup(null, "getAccountInfo", "alias2@example.com").result().reply();
      assertEquals("mbox2", info.server(), "an alias routes to its account's server again");

      // mbox1's accounts restored a second time, on mbox2, from a copy of mbox1's backup path:
      // every one of them is refused, as it lives on mbox1.
      Path copy = root.resolve("copy-of-mbox1");
      TreeCopy.copyTree(Path.of(backupPath(cluster, "mbox1")), copy);
      Operation twice = finish(api.backup("mbox2", "doRawRestore", copy.toString(), "skipProvisioning", "true")
          .result().reply().operation());
      assertEquals(OperationState.FAILED, twice.state());
      assertEquals("CONFLICT", twice.error().code());
      assertEquals(2, twice.stats().counter("accountsRefused"));
      assertTrue(twice.stats().unrestored().stream().allMatch(u -> u.cause().contains("on server mbox1")),
          OperationText.stats(twice.stats()));
      assertEquals(before, mailboxes(), "nothing changed anywhere");
    }
  }

  /** Two accounts per server, folders, flags, a move, a deletion, and a share across servers. */
  private Set<String> seed() throws IOException {
    api.admin(null, "createDomain", "example.com").result();
    api.admin(null, "createCos", "staff", "notes", "kept notes").result();
    api.admin(null, "createDistributionList", "all@example.com", "members", "u1a@example.com,u2a@example.com")
        .result();
    Set<String> digests = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      String server = "mbox" + i;
      for (String x : List.of("a", "b")) {
        String account = "u" + i + x + "@example.com";
        api.admin(server, "createAccount", account, "cos", "staff").result();
        Path inbox = Messages.folder(root.resolve("m-" + i + x), "u" + i + x, 4);
        Path projects = Messages.folder(root.resolve("p-" + i + x), "p" + i + x, 2);
        digests.addAll(sha256s(inbox));
        digests.addAll(sha256s(projects));
        api.admin(null, "injectMessages", account, inbox.toString(), "flags", "seen").result();
        api.admin(null, "injectMessages", account, projects.toString(), "folder", "/Inbox/Projects", "tags", "work")
            .result();
        api.admin(null, "createFolder", account, "/Archive/2026").result();
        JsonNode items = api.admin(null, "listItems", account).result().reply().result();
        int first = items.get(0).get("id").asInt();
        api.admin(null, "moveItem", account, Integer.toString(first), "/Archive/2026").result();
        api.admin(null, "flagItem", account, Integer.toString(items.get(1).get("id").asInt()), "flagged").result();
        api.admin(null, "deleteItem", account, Integer.toString(items.get(2).get("id").asInt())).result();
      }
      api.admin(null, "addAlias", "u" + i + "a@example.com", "alias" + i + "@example.com").result();
    }
    api.admin(null, "grantFolder", "u1a@example.com", "/Inbox/Projects", "u2a@example.com", "rights", "rw").result();
    api.admin(null, "mountShare", "u2a@example.com", "u1a@example.com", "/Inbox/Projects", "/Shared/u1a").result();
    // The deleted message is gone from every mailbox; only the kept ones must come back.
    Set<String> kept = new HashSet<>();
    for (int i = 1; i <= 3; i++) {
      for (String x : List.of("a", "b")) {
        for (JsonNode folder : api.admin(null, "listFolders", "u" + i + x + "@example.com").result().reply().result()) {
          if (folder.get("mount") == null || folder.get("mount").isNull()) {
            api.admin(null, "listItems", "u" + i + x + "@example.com", "folder", folder.get("path").asText()).result()
                .reply().result().forEach(item -> kept.add(item.get("digest").asText()));
          }
        }
      }
    }
    digests.retainAll(kept);
    assertEquals(3 * 2 * 5, digests.size());
    return digests;
  }

  /** Every account as the cluster routes to it, with its folders, items (minus change positions) and shares. */
  private Map<String, Mailbox> mailboxes() {
    Map<String, Mailbox> out = new TreeMap<>();
    for (int i = 1; i <= 3; i++) {
      for (String x : List.of("a", "b")) {
        String account = "u" + i + x + "@example.com";
        CommandReply folders = api.admin(null, "listFolders", account).result().reply();
        Map<String, JsonNode> items = new LinkedHashMap<>();
        for (JsonNode folder : folders.result()) {
          if (folder.get("mount") != null && !folder.get("mount").isNull()) {
            continue;
          }
          String path = folder.get("path").asText();
          JsonNode list = api.admin(null, "listItems", account, "folder", path).result().reply().result();
          List<JsonNode> kept = new java.util.ArrayList<>();
          list.forEach(item -> {
            ObjectNode copy = ((ObjectNode) item).deepCopy();
            copy.remove(List.of("modSeq", "modifiedAt"));
            kept.add(copy);
          });
          kept.sort(Comparator.comparingInt(n -> n.get("id").asInt()));
          items.put(path, Json.MAPPER.valueToTree(kept));
        }
        JsonNode shares = api.admin(null, "listShares", account).result().reply().result();
        out.put(account, new Mailbox(folders.server(), folders.result(), items, shares));
      }
    }
    return out;
  }

  private static void loseStore(Path dataDir) throws IOException {
    try (Stream<Path> s = Files.list(dataDir)) {
      for (Path p : s.toList()) {
        if (!p.getFileName().toString().equals("backup")) {
          deleteTree(p);
        }
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  private static String backupPath(TestCluster cluster, String server) {
    return cluster.worker(server).config.backupPath().toString();
  }

  private static Set<String> sha256s(Path dir) throws IOException {
    Set<String> out = new HashSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        try {
          out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  private List<Operation> all(String... args) {
    List<ServerResult> results = api.backup("all_servers", args).result().broadcast().results();
    return results.stream().map(r -> finish(r.reply().operation())).toList();
  }

  private Operation one(String target, String... args) {
    Operation op = finish(api.backup(target, args).result().reply().operation());
    assertEquals(OperationState.SUCCEEDED, op.state(),
        () -> target + " " + args[0] + ": " + op.error() + "\n" + OperationText.stats(op.stats()));
    return op;
  }

  private Operation finish(Operation op) {
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }
}
