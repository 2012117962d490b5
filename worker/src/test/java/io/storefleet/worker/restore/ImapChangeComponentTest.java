package io.storefleet.worker.restore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.ScanView;
import io.storefleet.worker.store.imap.BackupIds;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.store.imap.ImapTraffic;
import io.storefleet.worker.testing.ForwardingMailStore;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dovecot-backed worker's scans as other clients change the mailboxes: the next scan records
 * exactly their item states, ids survive a MOVE and the loss of the worker's side state (rebuilt
 * from the backup), and a Dovecot stopped mid-scan fails the scan naming the server while the
 * next one completes.
 */
class ImapChangeComponentTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;

  private static byte[] message(String subject) {
    return message(subject, "");
  }

  /**
   * A body naming its account keeps each test's mail its own: a scan of the class's Dovecot reads
   * the earlier tests' accounts too, and would otherwise find these bytes already stored from them.
   */
  private static byte[] message(String subject, String account) {
    return ("From: a@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + " " + account + "\r\n")
        .getBytes(UTF_8);
  }

  /** One start of a worker on the private Dovecot: its imap store (in {@code dir/imap}) and backup path. */
  private static final class Worker implements AutoCloseable {
    final ImapMailStore imap;
    final RestoreFixture fixture;
    final MutableClock clock = MutableClock.atEpoch2026();

    Worker(Path dir, UnaryOperator<MailStore> decorate) throws Exception {
      imap = ImapMailStore.open(ImapTestClient.config(DOVECOT.server()), dir.resolve("imap"), clock);
      fixture = new RestoreFixture(dir, Pacer.NONE, local -> decorate.apply(imap), RemoteShares.NONE);
      // As WorkerNode does before the store is used.
      imap.recoverFrom(new BackupIds(fixture.engine, fixture.realtime.cursor()));
    }

    Operation scan() {
      return fixture.run("doSmartScan");
    }

    /** The latest backed-up state of each item of the account. */
    Map<Integer, ItemState> backedUp(String accountId) throws Exception {
      Map<Integer, ItemState> last = new HashMap<>();
      new BackupHistoryReader(fixture.engine).itemStates(accountId).forEach(s -> last.put(s.id(), s));
      return last;
    }

    List<ItemState> states(String accountId) throws Exception {
      return new BackupHistoryReader(fixture.engine).itemStates(accountId);
    }

    @Override
    public void close() throws Exception {
      fixture.close();
    }
  }

  private record Mail(Account account, Folder archive, Folder projects, Map<String, Item> bySubject) {}

  private static Mail mail(ImapMailStore imap) {
    Account a = imap.createAccount("u-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
        Map.of());
    Folder archive = imap.createFolder(a.id(), "/Archive", "message");
    Folder projects = imap.createFolder(a.id(), "/Projects", "message");
    Map<String, Item> bySubject = new HashMap<>();
    List<String> inbox = List.of("a", "b", "c", "d");
    List<Item> added = imap.addMessages(a.id(), Folder.INBOX, inbox.stream().map(s -> message(s, a.name())).toList(),
        Set.of(), Set.of());
    for (int i = 0; i < inbox.size(); i++) {
      bySubject.put(inbox.get(i), added.get(i));
    }
    bySubject.put("p", imap.addMessages(a.id(), projects.id(), List.of(message("p", a.name())), Set.of(), Set.of())
        .get(0));
    return new Mail(a, archive, projects, bySubject);
  }

  /**
   * New mail, flags, keywords, an expunge, a MOVE, a folder rename and a grant of the renamed folder
   * to {@code grantee} (SETACL), by a plain IMAP client.
   */
  private static void changeAsAnotherClient(Mail m, String grantee) {
    ImapTestClient client = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
    String user = m.account().name();
    client.append(user, "INBOX", message("new"), Set.of("\\Seen"), Set.of("outside"));
    Map<String, ImapTestClient.Served> inbox = client.all(user).stream().filter(s -> s.mailbox().equals("INBOX"))
        .collect(Collectors.toMap(s -> new String(s.bytes(), UTF_8).replaceAll("(?s).*Subject: (\\S+).*", "$1"),
            s -> s));
    client.setFlags(user, inbox.get("a"), Set.of("\\Flagged"), Set.of());
    client.setFlags(user, inbox.get("b"), Set.of(), Set.of("later"));
    client.expunge(user, inbox.get("c"));
    client.move(user, inbox.get("d"), "Archive");
    client.rename(user, "Projects", "Done");
    client.setAcl(user, "Done", grantee, "lrs");
  }

  /**
   * The backup's last snapshot of the account: the renamed folder under its new name with its id,
   * the other folders as they were, and the grant the other client gave. The ACLs were due at the
   * scan that recorded it: the mailbox list changed (the rename), and for a worker started since,
   * it was the first scan after the start (AclReads).
   */
  private static void assertRenameAndGrantBackedUp(Worker w, Mail m, String grantee) throws Exception {
    AccountSnapshot s = new BackupHistoryReader(w.fixture.engine).snapshotAt(m.account().id(), null).orElseThrow();
    Folder p = m.projects();
    assertEquals(new Folder(p.id(), p.parentId(), "Done", "/Done", p.view(), null),
        s.folders().stream().filter(f -> f.id() == p.id()).findFirst().orElseThrow());
    assertEquals(List.of("/", "/Archive", "/Done", "/Drafts", "/Inbox", "/Junk", "/Sent", "/Trash"),
        s.folders().stream().map(Folder::path).sorted().toList());
    assertEquals(List.of(new Grant(m.account().id(), p.id(), "", grantee, "r")), s.grants());
  }

  /** Before the changes the backup has the folder under its old name and no grant. */
  private static void assertBeforeTheChanges(Worker w, Mail m) throws Exception {
    AccountSnapshot s = new BackupHistoryReader(w.fixture.engine).snapshotAt(m.account().id(), null).orElseThrow();
    assertEquals("/Projects", s.folders().stream().filter(f -> f.id() == m.projects().id()).findFirst().orElseThrow()
        .path());
    assertEquals(List.of(), s.grants());
  }

  /**
   * An address outside the server (a grant with no grantee id). Not an account: every account the
   * class's Dovecot holds lowers the heads the full scan of aFullScan… samples from each (the
   * dictionary's sample, over at most 32 accounts); two empty ones more left it too few to train,
   * so its next scan sampled again and opened every mailbox of the changed account.
   */
  private static String grantee() {
    return "g-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
  }

  /** The states the second scan added are exactly the other client's changes, with the old ids. */
  private static void assertExactlyTheChanges(Mail m, List<ItemState> before, List<ItemState> after) {
    List<ItemState> added = after.subList(before.size(), after.size());
    Map<Integer, ItemState> byId = added.stream().collect(Collectors.toMap(ItemState::id, s -> s));
    assertEquals(5, added.size(), "one state per changed item, nothing else: " + added);
    Map<String, Item> s = m.bySubject();
    assertEquals(Set.of("flagged"), byId.get(s.get("a").id()).flags());
    assertEquals(Set.of("later"), byId.get(s.get("b").id()).tags());
    assertTrue(byId.get(s.get("c").id()).deleted());
    assertEquals(m.archive().id(), byId.get(s.get("d").id()).folderId(), "the MOVE keeps the id");
    ItemState created = added.stream().filter(x -> x.subject().equals("new")).findFirst().orElseThrow();
    assertEquals(Set.of("seen"), created.flags());
    assertEquals(Set.of("outside"), created.tags());
    assertTrue(before.stream().noneMatch(x -> x.id() == created.id()), "new mail gets a new id");
  }

  @Test
  void theNextScanRecordsExactlyAnotherClientsChangesMadeWhileTheWorkerRuns() throws Exception {
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      Mail m = mail(w.imap);
      String grantee = grantee();
      assertEquals(OperationState.SUCCEEDED, w.scan().state());
      List<ItemState> before = w.states(m.account().id());
      assertBeforeTheChanges(w, m);
      changeAsAnotherClient(m, grantee);
      Operation scan = w.scan();
      assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
      assertExactlyTheChanges(m, before, w.states(m.account().id()));
      assertRenameAndGrantBackedUp(w, m, grantee);
    }
  }

  @Test
  void theNextScanRecordsExactlyAnotherClientsChangesMadeWhileTheWorkerIsStopped() throws Exception {
    Mail m;
    String grantee = grantee();
    List<ItemState> before;
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      m = mail(w.imap);
      assertEquals(OperationState.SUCCEEDED, w.scan().state());
      before = w.states(m.account().id());
      assertBeforeTheChanges(w, m);
    }
    changeAsAnotherClient(m, grantee);
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      Operation scan = w.scan();
      assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
      assertExactlyTheChanges(m, before, w.states(m.account().id()));
      assertRenameAndGrantBackedUp(w, m, grantee);
    }
  }

  /** What the worker keeps beside Dovecot, made before a scan so that the backup records it. */
  private record Kept(Cos cos, Domain emptyDomain, Account withCos, String alias, DistributionList list) {}

  private static Kept keep(ImapMailStore imap, Mail m) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Cos cos = imap.createCos("cos-" + tag, "notes of " + tag);
    Domain empty = imap.createDomain("empty-" + tag + ".test");
    Account withCos = imap.createAccount("c-" + tag + "@example.test", cos.name(), Map.of());
    String alias = "alias-" + tag + "@example.test";
    imap.addAlias(m.account().id(), alias);
    DistributionList list = imap.createDistributionList("list-" + tag + "@example.test",
        List.of(m.account().name(), withCos.name()));
    return new Kept(cos, empty, withCos, alias, list);
  }

  /** The kept directory came back with every id and date. */
  private static void assertKept(ImapMailStore imap, Mail m, Kept k) {
    assertTrue(imap.coses().contains(k.cos()), "the COS with its id and notes: " + imap.coses());
    assertTrue(imap.domains().contains(k.emptyDomain()), "the domain without accounts: " + imap.domains());
    assertTrue(imap.distributionLists().contains(k.list()), "the list with its id: " + imap.distributionLists());
    Account withCos = imap.account(k.withCos().name()).orElseThrow();
    assertEquals(k.withCos().id(), withCos.id());
    assertEquals(k.cos().name(), withCos.cos(), "the account's COS");
    assertEquals(List.of(k.alias()), imap.account(m.account().id()).orElseThrow().aliases());
    assertEquals(m.account().id(), imap.account(k.alias()).orElseThrow().id(), "the alias finds its account");
  }

  @Test
  void theWorkersSideStateDeletedTheNextStartRebuildsItAndKeepsEveryId() throws Exception {
    Mail m;
    Kept kept;
    Map<Integer, ItemState> backed;
    long lastSeq;
    List<ItemState> before;
    Cos late;
    Account lateAccount;
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      assertTrue(Files.exists(dir.resolve("imap").resolve("directory.json")),
          "a first start (the backup records nothing) writes the directory empty");
      assertEquals(List.of("default"), w.imap.coses().stream().map(Cos::name).toList());
      m = mail(w.imap);
      kept = keep(w.imap, m);
      assertEquals(OperationState.SUCCEEDED, w.scan().state());
      backed = w.backedUp(m.account().id());
      before = w.states(m.account().id());
      lastSeq = w.imap.lastSequence();
    }
    deleteTree(dir.resolve("imap"));
    // A change while the side state is gone: the rebuilt map must journal it against the backup.
    ImapTestClient client = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
    ImapTestClient.Served a = client.all(m.account().name()).stream()
        .filter(s -> new String(s.bytes(), UTF_8).contains("Subject: a\r")).findFirst().orElseThrow();
    client.setFlags(m.account().name(), a, Set.of("\\Seen"), Set.of());
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      Account again = w.imap.account(m.account().name()).orElseThrow();
      assertEquals(m.account().id(), again.id());
      assertEquals(m.projects().id(), w.imap.folder(again.id(), "/Projects").orElseThrow().id());
      Map<Integer, Item> now = w.imap.items(again.id()).stream().collect(Collectors.toMap(Item::id, i -> i));
      assertEquals(backed.keySet(), now.keySet(), "every item keeps its id");
      for (Item i : now.values()) {
        assertEquals(backed.get(i.id()).digest(), i.digest());
        assertEquals(backed.get(i.id()).folderId(), i.folderId());
      }
      assertTrue(w.imap.lastSequence() > lastSeq, "the lost journal continues above the backup's positions");
      assertEquals(Set.of("seen"), now.get(m.bySubject().get("a").id()).flags());
      Operation scan = w.scan();
      assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
      List<ItemState> after = w.states(m.account().id());
      List<ItemState> added = after.subList(before.size(), after.size());
      assertEquals(1, added.size(), "only the flag change is new: " + added);
      assertEquals(m.bySubject().get("a").id(), added.get(0).id());
      Item later = w.imap.addMessages(again.id(), Folder.INBOX, List.of(message("later")), Set.of(), Set.of()).get(0);
      assertTrue(backed.keySet().stream().allMatch(id -> id < later.id()), "new ids stay above the backed-up ones");
      assertKept(w.imap, m, kept);
      // A COS made and assigned after the last SmartScan recorded provisioning (as while one runs):
      // only the account's own snapshot names it.
      late = w.imap.createCos("late-" + UUID.randomUUID().toString().substring(0, 8), "late notes");
      lateAccount = w.imap.createAccount("l-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test",
          late.name(), Map.of());
      assertEquals(OperationState.SUCCEEDED, w.fixture.run("doAccountScan", lateAccount.name()).state());
    }
    // Lost again, and the backup's provisioning log with it: the backup holds accounts, so domains,
    // COS and lists were recorded and would be lost: the start refuses, naming the fix, and writes
    // no empty directory.
    deleteTree(dir.resolve("imap"));
    Path provisioning = dir.resolve("provisioning.log.aside");
    ImapMailStore imap = ImapMailStore.open(ImapTestClient.config(DOVECOT.server()), dir.resolve("imap"),
        MutableClock.atEpoch2026());
    try (RestoreFixture f = new RestoreFixture(dir, Pacer.NONE, local -> imap, RemoteShares.NONE)) {
      Files.move(f.engine.path().provisioningLog(), provisioning);
      StorefleetException refused = assertThrows(StorefleetException.class,
          () -> imap.recoverFrom(new BackupIds(f.engine, f.realtime.cursor())));
      assertTrue(refused.getMessage().contains("no provisioning: " + f.engine.path().provisioningLog())
          && refused.getMessage().contains(f.engine.path().root().toString())
          && refused.getMessage().contains("doRawRestore"), refused.getMessage());
      assertFalse(Files.exists(dir.resolve("imap").resolve("directory.json")));
      // The log back: the late COS, which no record holds, is made again rather than the start refused.
      Files.move(provisioning, f.engine.path().provisioningLog());
      imap.recoverFrom(new BackupIds(f.engine, f.realtime.cursor()));
      assertKept(imap, m, kept);
      assertEquals(late.name(), imap.account(lateAccount.name()).orElseThrow().cos());
      assertEquals(List.of(late.name()), imap.coses().stream().map(Cos::name).filter(late.name()::equals).toList());
    }
    // Lost once more, and no SmartScan on record either (as on a path with real-time backups only,
    // which record provisioning only when it changes): rebuilt from the accounts' logs, not refused.
    deleteTree(dir.resolve("imap"));
    ImapMailStore realtimeOnly = ImapMailStore.open(ImapTestClient.config(DOVECOT.server()), dir.resolve("imap"),
        MutableClock.atEpoch2026());
    try (RestoreFixture f = new RestoreFixture(dir, Pacer.NONE, local -> realtimeOnly, RemoteShares.NONE)) {
      for (Path log : List.of(f.engine.path().provisioningLog(), f.engine.path().scanLog(), f.engine.path().configLog())) {
        if (Files.exists(log)) {
          Files.move(log, dir.resolve(log.getFileName() + ".aside"));
        }
      }
      realtimeOnly.recoverFrom(new BackupIds(f.engine, f.realtime.cursor()));
      assertTrue(Files.exists(dir.resolve("imap").resolve("directory.json")));
      Account withCos = realtimeOnly.account(kept.withCos().name()).orElseThrow();
      assertEquals(kept.withCos().id(), withCos.id());
      assertEquals(kept.cos().name(), withCos.cos(), "the account's COS, from its own log");
      assertEquals(List.of(kept.alias()), realtimeOnly.account(m.account().id()).orElseThrow().aliases());
      assertEquals(m.account().id(), realtimeOnly.account(kept.alias()).orElseThrow().id());
      assertFalse(realtimeOnly.distributionLists().contains(kept.list()), "no record names the list");
    }
  }

  /** About 5 KB of mail that differs from message to message, as a dictionary's sample needs. */
  private static byte[] longMessage(String account, int k) {
    StringBuilder b = new StringBuilder("From: sender" + k % 7 + "@example.test\r\nTo: " + account
        + "\r\nSubject: report " + k + "\r\nMessage-ID: <" + k + "." + account + ">\r\n\r\n");
    java.util.Random r = new java.util.Random(k * 31L + account.hashCode());
    while (b.length() < 5_000) {
      b.append("line ").append(r.nextInt(100_000)).append(" of the weekly figures for ").append(account).append("\r\n");
    }
    return b.toString().getBytes(UTF_8);
  }

  /**
   * Counted by the store's own protocol hook (ImapTraffic): a full scan of mail the worker never
   * saw reads each message whole exactly once (the pass's FETCH, its bytes stored as read; the
   * dictionary's sample reads heads only); the next scan logs into the changed account only and
   * reads only the new message, opening (SELECT/EXAMINE) only the mailbox it is in, not the account's
   * unchanged ones, nor listing its mailboxes when the sweep shows the same ones (a rename it shows
   * is listed); a grant another client gave to the unchanged account is read when
   * the ACLs are due (AclReads.EVERY), and then only that account is opened.
   */
  /** One SmartScan, which must succeed; what it asked of the server. */
  private static ImapTraffic.Counts scanCounting(Worker w) {
    ImapTraffic.Counts before = w.imap.traffic();
    Operation scan = w.scan();
    assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
    return w.imap.traffic().since(before);
  }

  @Test
  void aFullScanReadsEachMessageOnceAndTheNextOpensOnlyTheChangedAccount() throws Exception {
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      Account quiet = w.imap.createAccount("q-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test",
          null, Map.of());
      Account busy = w.imap.createAccount("b-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test",
          null, Map.of());
      ImapTestClient client = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
      int each = 80;
      for (Account a : List.of(quiet, busy)) {
        client.appendAll(a.name(), "INBOX", java.util.stream.IntStream.range(0, each)
            .mapToObj(k -> longMessage(a.name(), k)).toList(), Set.of());
      }
      // Mailboxes of the changed account that do not change: the next scan must not open them.
      for (String box : List.of("Archive", "Lists")) {
        client.create(busy.name(), box);
        client.appendAll(busy.name(), box, List.of(longMessage(busy.name() + "/" + box, 0)), Set.of());
      }
      ImapTraffic.Counts start = w.imap.traffic();
      Operation full = w.scan();
      assertEquals(OperationState.SUCCEEDED, full.state(), String.valueOf(full.error()));
      ImapTraffic.Counts fullScan = w.imap.traffic().since(start);
      // The class's Dovecot also holds the accounts of the tests before: the scan reads theirs too.
      long onServer = w.imap.accounts().stream().mapToLong(a -> w.imap.items(a.id()).size()).sum();
      assertTrue(onServer >= 2 * each);
      assertEquals(onServer, fullScan.messagesRead(), "each message read whole once: " + fullScan);
      long bytesOnServer = w.imap.accounts().stream().flatMap(a -> w.imap.items(a.id()).stream())
          .mapToLong(Item::size).sum();
      assertEquals(bytesOnServer, fullScan.bytesRead(), "and nothing more: " + fullScan);
      assertEquals(each, w.backedUp(quiet.id()).size());
      int busyItems = each + 2;

      byte[] added = longMessage(busy.name(), each);
      client.append(busy.name(), "INBOX", added, Set.of(), Set.of());
      ImapTraffic.Counts next = scanCounting(w);
      assertEquals(0, next.logins(), "the changed account's session is kept from the full scan: " + next);
      assertEquals(1, next.messagesRead(), "only the new message is read: " + next);
      assertEquals(added.length, next.bytesRead(), "once, whole: " + next);
      assertEquals(1, next.mailboxesOpened(), "only the changed mailbox (INBOX) is opened: " + next);
      assertEquals(busyItems + 1, w.backedUp(busy.id()).size());

      client.append(busy.name(), "INBOX", longMessage(busy.name(), each + 1), Set.of(), Set.of());
      // Past the kept sessions' idle limit (10 minutes): a session the scan uses is a new login.
      w.clock.advance(java.time.Duration.ofMinutes(11));
      ImapTraffic.Counts idle = scanCounting(w);
      assertEquals(1, idle.logins(), "only the changed account is logged into: " + idle);
      // The last scan's pass read the account's folders (the store's items() before it, as any call
      // but a pass, dropped the read before); the sweep shows the same mailboxes, so this pass takes
      // them from that read.
      assertEquals(0, idle.lists(), "the changed account's folders are not listed again: " + idle);
      assertEquals(1, idle.messagesRead(), "only the new message is read: " + idle);
      assertEquals(busyItems + 2, w.backedUp(busy.id()).size());

      // A rename the sweep shows (same GUID, new name): the pass lists the account's folders again.
      client.rename(busy.name(), "Lists", "Kept");
      ImapTraffic.Counts renamed = scanCounting(w);
      assertEquals(1, renamed.lists(), "only the renamed account's folders are listed: " + renamed);
      assertTrue(new BackupHistoryReader(w.fixture.engine).snapshotAt(busy.id(), null).orElseThrow().folders()
          .stream().anyMatch(f -> f.path().equals("/Kept")), "the rename is backed up");

      client.setAcl(quiet.name(), "INBOX", busy.name(), "lr");
      w.clock.advance(io.storefleet.worker.store.imap.AclReads.EVERY);
      ImapTraffic.Counts beforeAcls = w.imap.traffic();
      Operation acls = w.scan();
      assertEquals(OperationState.SUCCEEDED, acls.state(), String.valueOf(acls.error()));
      assertEquals(0, w.imap.traffic().since(beforeAcls).messagesRead());
      List<io.storefleet.worker.store.Grant> grants = new BackupHistoryReader(w.fixture.engine)
          .snapshotAt(quiet.id(), null).orElseThrow().grants();
      assertEquals(1, grants.size(), "the due ACL read found the grant: " + grants);
      assertEquals(busy.id(), grants.get(0).granteeId());
    }
  }

  /**
   * Changes another client makes after a scan's sweep and before its pass of the account, when the
   * pass takes the account's folders from the last full read and skips the mailboxes whose sweep
   * status equals their mark: a MOVE between a mailbox the sweep saw changed and one it saw
   * unchanged is still a move keeping the item's id, either way; a changed mailbox renamed
   * meanwhile does not fail the pass.
   */
  @Test
  void changesBetweenTheSweepAndThePassAreRecordedAsMadeAndFailNothing() throws Exception {
    try (Worker w = new Worker(dir, UnaryOperator.identity())) {
      Account a = w.imap.createAccount("s-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test",
          null, Map.of());
      Folder archive = w.imap.createFolder(a.id(), "/Archive", "message");
      Item out = w.imap.addMessages(a.id(), Folder.INBOX, List.of(message("out", a.name())), Set.of(), Set.of())
          .get(0);
      Item back = w.imap.addMessages(a.id(), archive.id(), List.of(message("back", a.name())), Set.of(), Set.of())
          .get(0);
      ImapTestClient client = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
      passAfterSweep(w.imap, a, () -> { }); // a full read of the folders, kept for the next scan's pass

      // INBOX changed before the sweep, Archive not; the MOVE INBOX -> Archive after it.
      client.append(a.name(), "INBOX", message("new1", a.name()), Set.of(), Set.of());
      MailboxSnapshot moved = passAfterSweep(w.imap, a, () -> client.move(a.name(), served(client, a, "out"), "Archive"));
      assertEquals(Set.of(out.id() + "@" + archive.id(), back.id() + "@" + archive.id()),
          placed(moved, Set.of(out.id(), back.id())), "moved, id kept: " + moved.items());
      assertEquals(3, moved.items().size(), "no item deleted or created twice: " + moved.items());

      // And the other way: Archive -> INBOX, with INBOX changed before the sweep.
      client.append(a.name(), "INBOX", message("new2", a.name()), Set.of(), Set.of());
      MailboxSnapshot returned = passAfterSweep(w.imap, a,
          () -> client.move(a.name(), served(client, a, "back"), "INBOX"));
      assertEquals(Set.of(out.id() + "@" + archive.id(), back.id() + "@" + Folder.INBOX),
          placed(returned, Set.of(out.id(), back.id())), "moved back, id kept: " + returned.items());
      assertEquals(4, returned.items().size(), "no item created twice: " + returned.items());

      // Archive changed before the sweep, renamed after it: its EXAMINE by the old name fails.
      client.append(a.name(), "Archive", message("new3", a.name()), Set.of(), Set.of());
      MailboxSnapshot renamed = passAfterSweep(w.imap, a, () -> client.rename(a.name(), "Archive", "Old"));
      assertTrue(renamed.folders().stream().anyMatch(f -> f.id() == archive.id() && f.path().equals("/Old")),
          "the rename is seen: " + renamed.folders());
      assertEquals(5, renamed.items().size(), "the new message is read: " + renamed.items());
      // The class's Dovecot left as the other tests found it: they scan every account on it.
      w.imap.deleteAccount(a.id());
    }
  }

  /** One scan's steps for one account, with {@code meanwhile} run between its sweep and its pass. */
  private static MailboxSnapshot passAfterSweep(ImapMailStore imap, Account a, Runnable meanwhile) {
    ScanView view = imap.scanView();
    ScanView.ContentSink sink = (digest, content) -> { };
    Runnable end = view.begin();
    try {
      meanwhile.run();
      view.lastChange(a.id(), sink);
      return view.snapshot(a.id(), sink);
    } finally {
      end.run();
    }
  }

  private static ImapTestClient.Served served(ImapTestClient client, Account a, String subject) {
    return client.all(a.name()).stream()
        .filter(s -> new String(s.bytes(), UTF_8).contains("Subject: " + subject + "\r\n")).findFirst().orElseThrow();
  }

  /** "id@folder" of each of the snapshot's items among {@code ids}. */
  private static Set<String> placed(MailboxSnapshot s, Set<Integer> ids) {
    return s.items().stream().filter(i -> ids.contains(i.id())).map(i -> i.id() + "@" + i.folderId())
        .collect(Collectors.toSet());
  }

  @Test
  void aDovecotStoppedMidScanNamesTheServerLeavesACoherentBackupAndTheNextScanCompletes() throws Exception {
    DovecotServer dovecot = DOVECOT.server();
    AtomicInteger reads = new AtomicInteger();
    UnaryOperator<MailStore> haltOnSecondRead = s -> new ForwardingMailStore(s) {
      @Override
      public byte[] content(String accountId, int itemId) {
        if (reads.incrementAndGet() == 2) {
          dovecot.halt();
        }
        return delegate.content(accountId, itemId);
      }
    };
    try (Worker w = new Worker(dir, haltOnSecondRead)) {
      Mail m = mail(w.imap);
      Operation failed;
      try {
        failed = w.scan();
      } finally {
        if (reads.get() >= 2) {
          dovecot.restart();
        }
      }
      assertTrue(reads.get() >= 2, "the scan read content");
      assertEquals(OperationState.FAILED, failed.state(), String.valueOf(failed.stats().verdict()));
      String cause = String.valueOf(failed.error());
      assertTrue(cause.contains("127.0.0.1:" + dovecot.imapPort()), "the cause names the server: " + cause);
      Operation check = w.fixture.run("doCoherencyCheck", dir.resolve("backup").toString());
      assertEquals(OperationState.SUCCEEDED, check.state(), String.valueOf(check.error()));
      assertEquals(0, check.stats().counter("problems"), String.valueOf(check.stats().verdict()));
      Operation next = w.scan();
      assertEquals(OperationState.SUCCEEDED, next.state(), String.valueOf(next.error()));
      Map<Integer, ItemState> backed = w.backedUp(m.account().id());
      assertEquals(m.bySubject().values().stream().map(Item::id).collect(Collectors.toSet()),
          backed.values().stream().filter(s -> !s.deleted()).map(ItemState::id).collect(Collectors.toSet()));
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
