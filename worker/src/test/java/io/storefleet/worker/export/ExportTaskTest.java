package io.storefleet.worker.export;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.scan.CosBackupMarker;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTaskTest {
  @TempDir Path root;
  ServerFixture s;
  Account ann;
  Account bob;
  Account cat;
  Account dan;

  @BeforeEach
  void seed() throws Exception {
    s = new ServerFixture(root, "old1");
    Files.createDirectories(root.resolve("exports"));
    s.store.createDomain("a.example");
    s.store.createDomain("b.example");
    s.store.createCos("staff", "");
    s.store.createCos("interns", "no backup " + CosBackupMarker.MARKER);
    ann = s.store.createAccount("ann@a.example", "staff", Map.of("displayName", "Ann"));
    bob = s.account("bob@a.example");
    cat = s.account("cat@b.example");
    dan = s.store.createAccount("dan@a.example", "interns", Map.of());
    s.store.createDistributionList("team@a.example", List.of("ann@a.example", "bob@a.example"));
    s.store.createDistributionList("all@b.example", List.of("cat@b.example"));
    Folder projects = s.store.createFolder(ann.id(), "/Inbox/Projects", "message");
    deliver(ann, Folder.INBOX, 6, "ann");
    deliver(ann, projects.id(), 3, "proj");
    deliver(bob, Folder.INBOX, 4, "bob");
    deliver(cat, Folder.INBOX, 2, "cat");
    deliver(dan, Folder.INBOX, 2, "dan");
    s.store.grant(ann.id(), projects.id(), bob.id(), bob.name(), "r");
  }

  @AfterEach
  void close() throws Exception {
    s.close();
  }

  private void deliver(Account a, int folder, int n, String prefix) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mail.add(ServerFixture.message(prefix + " " + i, "body of " + prefix + " " + i));
    }
    s.store.addMessages(a.id(), folder, mail, Set.of("seen"), Set.of());
  }

  @Test
  void exportsTheChosenDomainsInTheBackupPathFormat() throws Exception {
    Path dest = root.resolve("exports/a");
    Operation op = s.run("doExport", "destination_path", dest.toString(), "domains", "A.example");
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    assertEquals(2, op.stats().counter("accountsExported"));
    assertEquals(1, op.stats().counter("accountsExcluded"), "dan's COS has backup disabled");
    assertEquals(13, op.stats().counter("itemsExported"));

    ExportMarker marker = ExportMarker.read(dest);
    assertEquals("old1", marker.server());
    assertEquals(List.of("a.example"), marker.domains());
    assertEquals(Set.of(ann.id(), bob.id()), Set.copyOf(marker.accounts()));
    ExportView view = ExportView.read(dest, "old1");
    assertEquals(Set.of("ann@a.example", "bob@a.example"), view.accounts().keySet());
    assertEquals(9, view.items().get("ann@a.example").size());
    assertTrue(view.provisioning().contains("a.example") && !view.provisioning().contains("b.example"),
        view.provisioning());
    assertTrue(view.provisioning().contains("team@a.example") && !view.provisioning().contains("all@b.example"));
    assertTrue(view.provisioning().contains("staff") && !view.provisioning().contains("interns"),
        "only the COS the exported accounts use: " + view.provisioning());
    assertTrue(view.accounts().get("ann@a.example").contains("/Inbox/Projects"));
    assertTrue(view.accounts().get("ann@a.example").contains(bob.id()), "the share is exported");

    try (BackupEngine e = BackupEngine.open(BackupPath.openExisting(dest, "old1"), () -> false)) {
      for (Item i : s.store.items(ann.id())) {
        assertArrayEquals(s.store.content(ann.id(), i.id()), e.blobs().read(i.digest()));
      }
    }
    StorefleetException again = assertThrows(StorefleetException.class,
        () -> s.submit("doExport", "destination_path", dest.toString(), "domains", "a.example"));
    assertEquals(ErrorCode.CONFLICT, again.code());
    assertTrue(again.getMessage().contains("already holds a finished export of old1"), again.getMessage());
  }

  @Test
  void theVerdictNamesTheServersThatHoldTheRestOfTheDomain() {
    List<Set<String>> asked = new ArrayList<>();
    s.cluster = new AccountDirectory() {
      @Override
      public java.util.Optional<String> serverOf(String nameOrAlias) {
        return java.util.Optional.empty();
      }

      @Override
      public void publish(Account a) {}

      @Override
      public Map<String, Long> elsewhere(Set<String> domains, String server) {
        asked.add(domains);
        assertEquals("old1", server);
        return new java.util.TreeMap<>(Map.of("mbox2", 4L, "mbox3", 3L));
      }
    };
    Operation op = s.run("doExport", "destination_path", root.resolve("exports/part").toString(), "domains", "a.example");
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    assertEquals(List.of(Set.of("a.example")), asked);
    assertEquals(7, op.stats().counter("accountsElsewhere"));
    assertTrue(op.stats().verdict().contains("NOT in this export: 7 more account(s) of a.example that live on other"
        + " servers (mbox2: 4, mbox3: 3)"), op.stats().verdict());

    s.cluster = AccountDirectory.NONE;
    Operation whole = s.run("doExport", "destination_path", root.resolve("exports/whole").toString(), "domains",
        "a.example");
    assertEquals(0, whole.stats().counter("accountsElsewhere"));
    assertFalse(whole.stats().verdict().contains("NOT in this export"), whole.stats().verdict());
  }

  @Test
  void badDestinationsAndFiltersAreRefusedBeforeAnythingIsWritten() throws Exception {
    Path busy = Files.createDirectories(root.resolve("exports/busy"));
    Files.writeString(busy.resolve("notes.txt"), "mine");
    StorefleetException e = refused("destination_path", busy.toString());
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("is not empty (it holds notes.txt)"), e.getMessage());
    assertEquals(List.of("notes.txt"), names(busy));

    Path file = Files.writeString(root.resolve("exports/file"), "x");
    assertEquals(ErrorCode.BAD_VALUE, refused("destination_path", file.toString()).code());
    StorefleetException noParent = refused("destination_path", root.resolve("nowhere/deeper/x").toString());
    assertEquals(ErrorCode.NOT_FOUND, noParent.code());
    assertFalse(Files.exists(root.resolve("nowhere")));
    assertEquals(ErrorCode.PATH_NOT_ALLOWED, refused("destination_path", "/tmp/outside-" + System.nanoTime()).code());
    StorefleetException own = refused("destination_path", s.dir.resolve("backup/exports").toString());
    assertTrue(own.getMessage().contains("overlaps server old1's own backup path"), own.getMessage());

    Path fresh = root.resolve("exports/fresh");
    StorefleetException domain = refused("destination_path", fresh.toString(), "domains", "a.example,nosuch.example");
    assertEquals(ErrorCode.NOT_FOUND, domain.code());
    assertTrue(domain.getMessage().contains("domain nosuch.example is not on server old1 (its domains: a.example,"
        + " b.example)"), domain.getMessage());
    StorefleetException cos = refused("destination_path", fresh.toString(), "cos", "managers");
    assertTrue(cos.getMessage().contains("class of service managers is not on server old1"), cos.getMessage());
    assertEquals(ErrorCode.NOT_IMPLEMENTED, refused("destination_path", fresh.toString(), "threshold", "10").code());
    assertFalse(Files.exists(fresh), "nothing half-created");
  }

  @Test
  void anUnwritableDestinationIsRefused() throws Exception {
    // Permissions do not stop root, so as root an empty read-only kernel folder stands in.
    Path dest;
    if ("root".equals(System.getProperty("user.name"))) {
      dest = Path.of("/proc/driver");
      assumeTrue(Files.isDirectory(dest) && names(dest).isEmpty(), "needs an empty, read-only /proc/driver");
    } else {
      dest = Files.createDirectories(root.resolve("exports/locked"));
      assertTrue(dest.toFile().setWritable(false, false));
    }
    try (ServerFixture f = new ServerFixture(root.resolve("r"), "old2", List.of(root, dest))) {
      StorefleetException e = assertThrows(StorefleetException.class,
          () -> f.submit("doExport", "destination_path", dest.toString()));
      assertEquals(ErrorCode.CONFLICT, e.code());
      assertTrue(e.getMessage().contains("is not writable by the worker"), e.getMessage());
    } finally {
      dest.toFile().setWritable(true, false);
    }
  }

  @Test
  void aStoppedExportResumesAndEndsAsAnUninterruptedOneWould() throws Exception {
    Path whole = root.resolve("exports/whole");
    assertEquals(OperationState.SUCCEEDED, s.run("doExport", "destination_path", whole.toString()).state());

    Path resumed = root.resolve("exports/resumed");
    s.gate.shut();
    String first = s.submit("doExport", "destination_path", resumed.toString());
    // Accounts go in name order: ann's 9 items, then one of bob's 4 before the stop.
    s.gate.release(10);
    await().atMost(Duration.ofSeconds(30)).until(() -> s.gate.holding()
        && s.operation(first).progress().done() == 10);
    s.stop(first);
    Operation stopped = s.await(first);
    assertEquals(OperationState.STOPPED, stopped.state());
    assertNotNull(ExportMarker.read(resumed), "the stopped run left its marker to resume from");
    s.gate.open();

    StorefleetException other = assertThrows(StorefleetException.class,
        () -> s.submit("doExport", "destination_path", resumed.toString(), "domains", "a.example"));
    assertTrue(other.getMessage().contains("holds an unfinished export of domains all, cos all"), other.getMessage());

    Operation second = s.run("doExport", "destination_path", resumed.toString());
    assertEquals(OperationState.SUCCEEDED, second.state(), String.valueOf(second.error()));
    assertEquals(1, second.stats().counter("accountsResumed"), second.stats().toString());
    assertEquals(6, second.stats().counter("itemsExported"), "ann, finished by the first run, is not read again");
    assertEquals(ExportView.read(whole, "old1"), ExportView.read(resumed, "old1"));
  }

  @Test
  void accountsCommittedByAKilledRunAreNotExportedAgain() throws Exception {
    Path dest = root.resolve("exports/killed");
    assertEquals(OperationState.SUCCEEDED, s.run("doExport", "destination_path", dest.toString()).state());
    ExportView before = ExportView.read(dest, "old1");
    Map<String, Long> sizes = sizes(dest);
    // As if the worker died after committing every account but logging only the first.
    Path log = dest.resolve(ExportLog.FILE);
    AppendLog.rewrite(log, AppendLog.inspect(log).records().subList(0, 1));

    Operation again = s.run("doExport", "destination_path", dest.toString());
    assertEquals(OperationState.SUCCEEDED, again.state(), String.valueOf(again.error()));
    assertEquals(3, again.stats().counter("accountsResumed"), again.stats().toString());
    assertEquals(0, again.stats().counter("accountsExported"));
    assertEquals(0, again.stats().counter("itemsExported"));
    assertEquals(before, ExportView.read(dest, "old1"));
    assertEquals(sizes, sizes(dest), "no record and no blob written twice");
  }

  @Test
  void anExportAdoptsTheServersDictionaryAsItsOwnAndItsBlobsReadBackFromTheExportAlone() throws Exception {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      StringBuilder b = new StringBuilder("From: s" + (i % 7) + "@example.net\r\nTo: ann@a.example\r\nSubject: report "
          + i + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
      for (int w = 0; w < 700; w++) {
        b.append("word").append((w * 31 + i * 17) % 97).append(w % 12 == 11 ? "\r\n" : " ");
      }
      mail.add(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    s.store.addMessages(ann.id(), Folder.INBOX, mail, Set.of(), Set.of());
    assertTrue(s.engine.blobs().trainDictionary(mail), "the server's own path has a dictionary");
    byte[] serverDict = s.engine.blobs().dictionary();
    long dictId = com.github.luben.zstd.Zstd.getDictIdFromDict(serverDict);

    Path dest = root.resolve("exports/dict");
    Operation op = s.run("doExport", "destination_path", dest.toString(), "domains", "a.example");
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));

    List<String> dicts = names(dest.resolve("blobs/dictionaries"));
    assertEquals(1, dicts.size(), "the export holds its own copy: " + dicts);
    assertArrayEquals(serverDict, Files.readAllBytes(dest.resolve("blobs/dictionaries").resolve(dicts.get(0))));
    // Read as an import reads a source: opened for reading, the export's own folder only.
    try (BackupEngine e = BackupEngine.openForReading(BackupPath.openExistingForReading(dest, "old1"), () -> false)) {
      for (var l : e.blobs().committed().values()) {
        byte[] stored = e.blobs().readStored(l);
        byte[] frame = java.util.Arrays.copyOfRange(stored, io.storefleet.worker.backup.format.BlobPacks.HEADER,
            stored.length);
        assertEquals(dictId, com.github.luben.zstd.Zstd.getDictIdFromFrame(frame), "every exported blob uses it");
      }
      for (Item i : s.store.items(ann.id())) {
        assertArrayEquals(s.store.content(ann.id(), i.id()), e.blobs().read(i.digest()));
      }
    }
  }

  /** The size of every file of the accounts and blobs. */
  private static Map<String, Long> sizes(Path dest) throws Exception {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String sub : List.of("accounts", "blobs")) {
      try (Stream<Path> w = Files.walk(dest.resolve(sub))) {
        for (Path p : w.filter(Files::isRegularFile).toList()) {
          out.put(dest.relativize(p).toString(), Files.size(p));
        }
      }
    }
    return out;
  }

  private StorefleetException refused(String... nameValues) {
    return assertThrows(StorefleetException.class, () -> s.submit("doExport", nameValues));
  }

  private static List<String> names(Path dir) {
    try (Stream<Path> l = Files.list(dir)) {
      return l.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
