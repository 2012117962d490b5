package io.storefleet.worker.restore.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobRestoreTaskTest {
  @TempDir Path dir;

  private static void succeeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), () -> op.error() + "\n" + OperationText.stats(op.stats()));
  }

  private static LostServer.Expected rebuilt(DrFixture f) throws Exception {
    LostServer.Expected lost = LostServer.populate(f);
    f.replaceStore();
    succeeded(f.run("doRawRestore", f.backupPath.toString()));
    return lost;
  }

  private static void assertContents(DrFixture f, LostServer.Expected lost) {
    for (Account a : lost.accounts().values()) {
      for (Item i : f.store.items(a.id())) {
        assertArrayEquals(lost.contents().get(LostServer.key(a, i.id())), f.store.content(a.id(), i.id()),
            "content of item " + i.id() + " of " + a.name());
      }
    }
  }

  @Test
  void dryRunIsTheDefaultCountsAndChangesNothing() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = rebuilt(f);
      List<MissingContent> before = f.store.missingContent(1);
      long position = f.store.lastSequence();
      Map<String, Long> blobs = new java.util.HashMap<>();
      before.forEach(m -> blobs.put(m.digest(), m.size()));

      Operation op = f.run("doRestoreBlobs", "1");

      succeeded(op);
      assertEquals(0, op.stats().counter("unrestored"));
      assertEquals(blobs.size(), op.stats().counter("blobsToRestore"));
      assertEquals(blobs.values().stream().mapToLong(Long::longValue).sum(), op.stats().counter("bytesToRestore"));
      assertTrue(op.stats().verdict().contains(before.size() + " item(s) of volume 1"), op.stats().verdict());
      assertEquals(0, op.stats().counter("restored"));
      assertTrue(op.stats().verdict().startsWith("Dry run, nothing was changed"), op.stats().verdict());
      assertEquals(before, f.store.missingContent(1));
      assertEquals(position, f.store.lastSequence());
      assertEquals(lost.items().values().stream().mapToInt(List::size).sum(), before.size());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void restoresEveryContentByteForByteAndReadsItBack(int threads) throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = rebuilt(f);
      int items = f.store.missingContent(1).size();

      Operation op = f.run("doRestoreBlobs", "1", "dryrun", "false", "threads", Integer.toString(threads));

      succeeded(op);
      assertEquals(items, op.stats().counter("restored"));
      assertEquals(items - 1, op.stats().counter("blobsRestored"), "john's and ann's shared message is one blob");
      assertTrue(f.store.missingContent(1).isEmpty());
      assertContents(f, lost);
      assertTrue(op.stats().verdict().contains("verified"), op.stats().verdict());

      Operation again = f.run("doRestoreBlobs", "1", "dryrun", "false");
      succeeded(again);
      assertEquals(0, again.stats().counter("restored"));
      assertEquals(items, again.stats().counter("skipped"), "a re-run skips what is there");
    }
  }

  @Test
  void contentTheBackupDoesNotHoldIsUnrestoredWithItsCause() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = rebuilt(f);
      Account bob = lost.accounts().get("bob@other.org");
      Item orphan = new Item(900, Folder.INBOX, io.storefleet.worker.store.ItemType.MESSAGE, 5, "b".repeat(64),
          Set.of(), Set.of(), 0, null, null, "", "", "");
      f.store.restoreItems(bob.id(), List.of(orphan));

      Operation op = f.run("doRestoreBlobs", "1", "dryrun", "false");

      assertEquals(OperationState.FAILED, op.state());
      assertEquals(1, op.stats().counter("unrestored"));
      assertEquals(900, op.stats().unrestored().get(0).itemId());
      assertEquals("bob@other.org", op.stats().unrestored().get(0).account());
      assertTrue(op.stats().unrestored().get(0).cause().startsWith("read error: content " + "b".repeat(64)
          + " is not in the backup"), op.stats().unrestored().get(0).cause());
      assertEquals(List.of(900), f.store.missingContent(1).stream().map(MissingContent::itemId).toList());
      assertTrue(op.stats().counter("restored") > 0, "everything else came back");
    }
  }

  @Test
  void aDamagedContentIsFoundAndReplaced() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      LostServer.Expected lost = rebuilt(f);
      succeeded(f.run("doRestoreBlobs", "1", "dryrun", "false"));
      Account bob = lost.accounts().get("bob@other.org");
      Item i = f.store.items(bob.id()).get(0); // a content no other item shares
      Path file = dir.resolve("store1").resolve("blobs").resolve(i.digest().substring(0, 2)).resolve(i.digest());
      byte[] good = Files.readAllBytes(file);
      byte[] bad = good.clone();
      bad[bad.length - 3] ^= 1;
      Files.write(file, bad);

      Operation dry = f.run("doRestoreBlobs", "1");
      succeeded(dry);
      assertEquals(1, dry.stats().counter("damaged"));
      Operation op = f.run("doRestoreBlobs", "1", "dryrun", "false");

      succeeded(op);
      assertEquals(1, op.stats().counter("restored"));
      assertArrayEquals(good, Files.readAllBytes(file));
    }
  }

  @Test
  void refusesWhatItCannotDo() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      // blobs_archive names an off-site copy (remote, remote:<server>), never an archive file.
      assertEquals(ErrorCode.BAD_VALUE, refused(f, "doRestoreBlobs", "1", "blobs_archive", dir.toString()));
      assertEquals(ErrorCode.BAD_VALUE, refused(f, "doRestoreBlobs", "1", "threads", "0"));
      assertEquals(ErrorCode.BAD_VALUE, refused(f, "doRestoreBlobs", "primary"));
      assertEquals(ErrorCode.NOT_FOUND, refused(f, "doRestoreBlobs", "2"));
      assertEquals(ErrorCode.NOT_FOUND, refused(f, "doRestoreBlobs", "1", "backup_path", dir.toString()));
    }
  }

  private static ErrorCode refused(DrFixture f, String... args) {
    StorefleetException e = assertThrows(StorefleetException.class, () -> f.run(args));
    assertTrue(e.getMessage().length() > 20, e.getMessage());
    return e.code();
  }

  /** Skipped where the corpus is absent; one that is there is always used ({@link SharedCorpus}). */
  @Test
  void theCorpusComesBackByteForByte() throws Exception {
    Optional<Path> corpus = SharedCorpus.find();
    assumeTrue(corpus.isPresent(), "no shared/corpus next to the repository");
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus.get())) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".eml") && Files.isRegularFile(p)).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "the corpus holds no .eml files");
    try (DrFixture f = new DrFixture(dir)) {
      f.store.createDomain("corpus.test");
      List<Account> accounts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        accounts.add(f.store.createAccount("user" + i + "@corpus.test", null, Map.of()));
      }
      List<List<byte[]>> mail = new ArrayList<>();
      accounts.forEach(a -> mail.add(new ArrayList<>()));
      for (int i = 0; i < files.size(); i++) {
        mail.get(i % accounts.size()).add(Files.readAllBytes(files.get(i)));
      }
      Map<String, byte[]> original = new java.util.HashMap<>();
      for (int k = 0; k < accounts.size(); k++) {
        List<Item> added = f.store.addMessages(accounts.get(k).id(), Folder.INBOX, mail.get(k), Set.of(), Set.of());
        for (int j = 0; j < added.size(); j++) {
          original.put(LostServer.key(accounts.get(k), added.get(j).id()), mail.get(k).get(j));
        }
      }
      LostServer.scan(f);
      f.replaceStore();
      succeeded(f.run("doRawRestore", f.backupPath.toString()));

      Operation op = f.run("doRestoreBlobs", "1", "dryrun", "false", "threads", "4");

      succeeded(op);
      assertEquals(files.size(), op.stats().counter("restored"));
      for (Account a : accounts) {
        for (Item i : f.store.items(a.id())) {
          assertArrayEquals(original.get(LostServer.key(a, i.id())), f.store.content(a.id(), i.id()),
              "corpus message " + i.id() + " of " + a.name());
        }
      }
    }
  }
}
