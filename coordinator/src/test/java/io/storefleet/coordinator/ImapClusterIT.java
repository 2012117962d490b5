package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.ServerResult;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.CanonicalContent;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster on Dovecot: three workers, each beside its own Dovecot server (store.kind=imap),
 * behind one coordinator. A broadcast SmartScan ends in one queue; account restores are routed to
 * the owner or proxied there; an owner whose Dovecot is down is an indefinite error naming it (a
 * worker that is gone is the coordinator's SERVER_UNAVAILABLE whatever its store: RoutingIT). Then an embedded-store worker joins and accounts move both ways
 * between the two store kinds by doExport and doExternalRestore, checked by canonical digest;
 * what IMAP cannot hold is unrestored with its cause. One cluster for the whole class, a few
 * messages per account: the point is the paths, not the volume.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImapClusterIT {
  @TempDir static Path root;
  static final List<DovecotServer> DOVECOTS = new ArrayList<>();
  static TestCluster cluster;
  static Api api;

  /** account → its server; each gets three messages. */
  static final Map<String, String> HOME = new TreeMap<>(Map.of(
      "alice@example.com", "mbox1", "bob@example.com", "mbox2", "carol@example.com", "mbox3"));

  @BeforeAll
  static void start() throws Exception {
    DovecotExtension.requireDovecot();
    for (int i = 0; i < 3; i++) {
      DOVECOTS.add(DovecotServer.start());
    }
    cluster = TestCluster.start(root, 0, 1);
    for (int i = 0; i < 3; i++) {
      cluster.addWorker("mbox" + (i + 1), new StoreConfig(StoreConfig.IMAP, ImapTestClient.config(DOVECOTS.get(i))));
    }
    api = cluster.api();
    api.admin(null, "createDomain", "example.com").result();
    for (Map.Entry<String, String> h : HOME.entrySet()) {
      api.admin(h.getValue(), "createAccount", h.getKey()).result();
      String who = h.getKey().substring(0, h.getKey().indexOf('@'));
      api.admin(null, "injectMessages", h.getKey(), Messages.folder(root.resolve("mail-" + who), who, 3).toString())
          .result();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      DOVECOTS.forEach(DovecotServer::stop);
    }
  }

  private static Operation finish(Operation op) {
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  private static Operation run(String target, String... args) {
    return finish(api.backup(target, args).result().reply().operation());
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + " " + op.stats().verdict());
  }

  private static List<String> subjects(String account) {
    List<String> out = new ArrayList<>();
    api.admin(null, "listItems", account).result().reply().result().forEach(i -> out.add(i.get("subject").asText()));
    out.sort(null);
    return out;
  }

  @Test
  @Order(1)
  void aBroadcastSmartScanRunsOnEveryDovecotServerAndEndsInOneQueue() {
    ApiResult b = api.backup("all_servers", "doSmartScan").result();
    assertEquals(3, b.broadcast().results().size());
    Map<String, String> uuids = new TreeMap<>();
    for (ServerResult r : b.broadcast().results()) {
      assertTrue(r.ok(), r.toString());
      uuids.put(r.server(), r.reply().operation().uuid());
    }
    assertEquals(Set.of("mbox1", "mbox2", "mbox3"), uuids.keySet());
    uuids.values().forEach(u -> finish(api.operation(u)));

    ApiResult table = api.backup(null, "getAllOperations", "verbose", "true").result();
    assertEquals("table", table.kind());
    assertTrue(table.table().unreachable().isEmpty(), table.text());
    for (Map.Entry<String, String> e : uuids.entrySet()) {
      List<Operation> listed = table.table().operations().stream().filter(o -> o.uuid().equals(e.getValue())).toList();
      assertEquals(1, listed.size(), "listed once in the cluster's queue: " + table.text());
      assertEquals(e.getKey(), listed.get(0).server());
      assertSucceeded(listed.get(0));
      CommandReply monitored = api.backup(null, "monitor", e.getValue()).result().reply();
      assertEquals(e.getKey(), monitored.server(), "monitor finds the server by the uuid alone");
      assertEquals(OperationState.SUCCEEDED, Json.fromTree(monitored.result(), Operation.class).state());
    }
    for (String account : HOME.keySet()) {
      assertEquals(3, api.backup(null, "getAccountInfo", account).result().reply().result().get("items").asInt(),
          account + "'s three messages, read from Dovecot, are in its server's backup");
    }
  }

  @Test
  @Order(2)
  void accountRestoresAreRoutedToTheOwnerOrProxiedThere() {
    ApiResult routed = api.backup(null, "doRestoreOnNewAccount", "alice@example.com", "alice.copy@example.com",
        "last").result();
    assertEquals("mbox1", routed.reply().server());
    assertFalse(routed.reply().proxied());
    Operation copy = finish(routed.reply().operation());
    assertSucceeded(copy);
    assertEquals(3, copy.stats().counter("restored"));
    assertEquals(subjects("alice@example.com"), subjects("alice.copy@example.com"));
    assertEquals("mbox1", api.admin(null, "listItems", "alice.copy@example.com").result().reply().server(),
        "the new account is on the owner's Dovecot");

    ApiResult proxied = api.backup("mbox1", "doRestoreOnNewAccount", "bob@example.com", "bob.copy@example.com",
        "last").result();
    assertTrue(proxied.reply().proxied());
    assertEquals("mbox1", proxied.reply().via());
    assertEquals("mbox2", proxied.reply().server());
    Operation bobCopy = finish(proxied.reply().operation());
    assertSucceeded(bobCopy);
    assertEquals(3, bobCopy.stats().counter("restored"));
    assertEquals(subjects("bob@example.com"), subjects("bob.copy@example.com"));

    // A message expunged on carol's Dovecot comes back through a request sent to another server.
    int victim = api.admin(null, "listItems", "carol@example.com").result().reply().result().get(0).get("id").asInt();
    api.admin(null, "deleteItem", "carol@example.com", Integer.toString(victim)).result();
    await().atMost(Duration.ofSeconds(60)).until(() -> api.backup(null, "doItemSearch", "carol@example.com",
        "deleted", "true").result().reply().result().get("items").size() == 1);
    ApiResult undelete = api.backup("mbox2", "doUndelete", "carol@example.com", "first", "last").result();
    assertTrue(undelete.reply().proxied());
    assertEquals("mbox3", undelete.reply().server());
    Operation back = finish(undelete.reply().operation());
    assertSucceeded(back);
    assertEquals(1, back.stats().counter("restored"));
    assertEquals(3, subjects("carol@example.com").size());
  }

  /** LF-only messages with a NUL: what the embedded store keeps as given and Dovecot in its wire form. */
  private static Path bareLfMail(String who, int n) throws Exception {
    Path dir = Files.createDirectories(root.resolve("lf-" + who));
    for (int i = 0; i < n; i++) {
      String msg = "From: s" + i + "@example.org\nTo: " + who + "\nSubject: " + who + " bare LF " + i + "\n\nline one\n"
          + "a NUL \0 here\nlast line " + i + "\n";
      Files.write(dir.resolve(String.format("%04d.eml", i)), msg.getBytes(StandardCharsets.UTF_8));
    }
    return dir;
  }

  /** An account's messages by folder path: their canonical digests, sorted. */
  private static Map<String, List<String>> canonical(String server, String account) {
    MailStore store = cluster.worker(server).store();
    Account a = store.account(account).orElseThrow();
    Map<Integer, String> paths = new HashMap<>();
    store.folders(a.id()).forEach(f -> paths.put(f.id(), f.path()));
    Map<String, List<String>> out = new TreeMap<>();
    for (Item i : store.items(a.id())) {
      if (i.type() == ItemType.MESSAGE) {
        out.computeIfAbsent(paths.get(i.folderId()), k -> new ArrayList<>())
            .add(CanonicalContent.digest(store.content(a.id(), i.id())));
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /**
   * The account's server as the directory says. An import publishes it at once, but a directory
   * slow to answer leaves that to the worker's next publication (every 30 s, as documented).
   */
  private static String located(String account) {
    Api.Answer[] a = new Api.Answer[1];
    await().atMost(Duration.ofSeconds(90)).until(() -> (a[0] = api.get("/api/v1/accounts/" + account)).status() == 200);
    return a[0].body().get("server").asText();
  }

  private static void deleteAndForget(String account) {
    api.admin(null, "deleteAccount", account).result();
    await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/accounts/" + account).status() == 404);
  }

  private static Path export(String server, String domain) throws Exception {
    Path dest = Files.createDirectories(root.resolve("exports")).resolve(server + "-" + domain);
    assertSucceeded(run(server, "doExport", dest.toString(), "domains", domain));
    return dest;
  }

  @Test
  @Order(3)
  void anEmbeddedStoresExportGoesIntoDovecotAndWhatImapCannotHoldIsUnrestoredWithItsCause() throws Exception {
    cluster.addWorker("mbox4");
    // The new member takes over partitions; directory calls made during that wait for it.
    await().atMost(Duration.ofSeconds(120)).until(() -> cluster.hazelcast().getPartitionService().isClusterSafe());
    api.admin("mbox4", "createDomain", "mixed.example").result();
    String ann = "ann@mixed.example";
    api.admin("mbox4", "createAccount", ann).result();
    api.admin(null, "injectMessages", ann, bareLfMail("ann", 3).toString()).result();
    api.admin(null, "injectMessages", ann, bareLfMail("ann-projects", 2).toString(), "folder", "/Projects",
        "flags", "seen", "tags", "blue").result();
    api.admin(null, "createFolder", ann, "/Clients", "view", "contact").result();
    MailStore embedded = cluster.worker("mbox4").store();
    String annId = embedded.account(ann).orElseThrow().id();
    Set<Long> notMail = new TreeSet<>();
    int clients = embedded.folder(annId, "/Clients").orElseThrow().id();
    Map<Integer, ItemType> others = Map.of(Folder.CONTACTS, ItemType.CONTACT, Folder.CALENDAR, ItemType.APPOINTMENT,
        Folder.TASKS, ItemType.TASK, Folder.BRIEFCASE, ItemType.DOCUMENT, clients, ItemType.CONTACT);
    others.forEach((folder, type) -> notMail.add((long) embedded.addItem(annId, folder, type,
        ("BEGIN:" + type + "\nEND:" + type + "\n").getBytes(StandardCharsets.UTF_8), type + " of ann").id()));
    Map<String, List<String>> before = canonical("mbox4", ann);

    Path dest = export("mbox4", "mixed.example");
    deleteAndForget(ann);
    Operation imported = run("mbox2", "doExternalRestore", dest.toString());
    String verdict = imported.stats().verdict();
    // Not everything crossed, so the import says so; every message did, verified in canonical form.
    assertEquals(OperationState.FAILED, imported.state(), verdict);
    assertEquals(5, imported.stats().counter("restoredItems"), verdict);
    assertTrue(verdict.contains("in canonical form"), verdict);
    assertFalse(verdict.contains("VERIFICATION FAILED"), verdict);
    Set<Long> unrestoredItems = new TreeSet<>();
    Set<String> leftOutFolders = new TreeSet<>();
    for (Unrestored u : imported.stats().unrestored()) {
      assertTrue(u.cause().contains("holds messages only"), u.toString());
      if (u.itemId() > 0) {
        unrestoredItems.add(u.itemId());
      } else {
        leftOutFolders.add(u.cause().split(" ")[1]);
      }
    }
    assertEquals(notMail, unrestoredItems, "each non-message item is unrestored with its cause");
    assertEquals(Set.of("/Briefcase", "/Calendar", "/Clients", "/Contacts", "/Tasks"), leftOutFolders);
    assertEquals("mbox2", located(ann));
    assertEquals(before, canonical("mbox2", ann), "Dovecot serves every message in the canonical form of the original");
    MailStore dovecot = cluster.worker("mbox2").store();
    String newId = dovecot.account(ann).orElseThrow().id();
    Set<String> marks = new TreeSet<>();
    for (Item i : dovecot.items(newId, dovecot.folder(newId, "/Projects").orElseThrow().id())) {
      marks.add(i.flags() + " " + i.tags());
    }
    assertEquals(Set.of("[seen] [blue]"), marks, "flags and tags came along");

    Operation again = run("mbox2", "doExternalRestore", dest.toString());
    assertEquals(0, again.stats().counter("restoredItems"), again.stats().verdict());
    assertEquals(5, again.stats().counter("skippedItems"), again.stats().verdict());
    assertEquals(before, canonical("mbox2", ann));
  }

  @Test
  @Order(4)
  void aDovecotServersExportGoesIntoTheEmbeddedStore() throws Exception {
    api.admin("mbox3", "createDomain", "dove.example").result();
    String dan = "dan@dove.example";
    api.admin("mbox3", "createAccount", dan).result();
    api.admin(null, "injectMessages", dan, bareLfMail("dan", 3).toString()).result();
    api.admin(null, "injectMessages", dan, Messages.folder(root.resolve("dan-archive"), "dan", 2).toString(), "folder",
        "/Archive", "flags", "flagged").result();
    Map<String, List<String>> before = canonical("mbox3", dan);
    assertEquals(Set.of("/Archive", "/Inbox"), before.keySet());

    Path dest = export("mbox3", "dove.example");
    deleteAndForget(dan);
    Operation imported = run("mbox4", "doExternalRestore", dest.toString());
    assertSucceeded(imported);
    assertEquals(5, imported.stats().counter("restoredItems"));
    assertTrue(imported.stats().verdict().contains("in canonical form"), imported.stats().verdict());
    assertEquals("mbox4", located(dan));
    assertEquals(before, canonical("mbox4", dan));

    Operation again = run("mbox4", "doExternalRestore", dest.toString());
    assertSucceeded(again);
    assertEquals(0, again.stats().counter("restoredItems"), again.stats().verdict());
    assertEquals(5, again.stats().counter("skippedItems"), again.stats().verdict());
  }

  @Test
  @Order(10)
  void anOwnerWhoseDovecotIsDownIsAnIndefiniteErrorNamingItUntilItIsBack() throws Exception {
    DovecotServer carols = DOVECOTS.get(2);
    carols.halt();
    try {
      ErrorInfo e = api.admin(null, "listItems", "carol@example.com").error();
      assertEquals("IO_ERROR", e.code(), e.toString());
      assertFalse(e.definite());
      assertEquals("mbox3", e.server());
      assertTrue(e.message().contains("127.0.0.1:" + carols.imapPort()), e.message());

      Operation scan = run(null, "doAccountScan", "carol@example.com");
      assertEquals(OperationState.FAILED, scan.state());
      assertEquals("mbox3", scan.server());
      assertFalse(scan.error().definite(), scan.error().toString());
      assertTrue(scan.error().message().contains("127.0.0.1:" + carols.imapPort()), scan.error().message());
    } finally {
      carols.restart();
    }
    assertSucceeded(run(null, "doAccountScan", "carol@example.com"));
  }
}
