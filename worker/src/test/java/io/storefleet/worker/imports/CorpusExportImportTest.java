package io.storefleet.worker.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.ServerFixture;
import io.storefleet.worker.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message of the shared corpus (real and deliberately malformed mail) comes out of an
 * export and an import on another server byte for byte. Skipped where the corpus is not checked
 * out; a corpus that is there is always used ({@link io.storefleet.worker.testing.SharedCorpus}),
 * and an empty one fails.
 */
class CorpusExportImportTest {
  @TempDir Path root;

  @Test
  void corpusMessagesAreByteIdenticalAfterExportAndImport() throws Exception {
    Optional<Path> corpus = SharedCorpus.find();
    assumeTrue(corpus.isPresent(), "no shared/corpus next to the repository");
    Map<Path, List<Path>> byFolder = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(corpus.get())) {
      files.filter(f -> f.getFileName().toString().endsWith(".eml") && Files.isRegularFile(f)).sorted()
          .forEach(f -> byFolder.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f));
    }
    Map<String, List<Path>> messages = new LinkedHashMap<>();
    try (ServerFixture old = new ServerFixture(root, "old1"); ServerFixture fresh = new ServerFixture(root, "new1")) {
      old.store.createDomain("corpus.test");
      for (Map.Entry<Path, List<Path>> folder : byFolder.entrySet()) {
        String name = corpus.get().relativize(folder.getKey()).toString().replaceAll("[^A-Za-z0-9]+", "-")
            .toLowerCase(java.util.Locale.ROOT) + "@corpus.test";
        Account a = old.account(name);
        List<byte[]> raws = new ArrayList<>();
        for (Path f : folder.getValue()) {
          raws.add(Files.readAllBytes(f));
        }
        old.store.addMessages(a.id(), Folder.INBOX, raws, Set.of(), Set.of());
        messages.put(name, folder.getValue());
      }
      Path export = root.resolve("export");
      Operation ex = old.run("doExport", "destination_path", export.toString());
      assertEquals(OperationState.SUCCEEDED, ex.state(), String.valueOf(ex.error()));
      Operation im = fresh.run("doExternalRestore", "source_path", export.toString(), "concurrent_accounts", "4");
      assertEquals(OperationState.SUCCEEDED, im.state(), String.valueOf(im.error()) + " " + im.stats().verdict());

      long total = 0;
      for (Map.Entry<String, List<Path>> e : messages.entrySet()) {
        Account a = fresh.store.account(e.getKey()).orElseThrow();
        Map<String, Item> byDigest = new HashMap<>();
        fresh.store.items(a.id()).forEach(i -> byDigest.put(i.digest(), i));
        for (Path f : e.getValue()) {
          byte[] original = Files.readAllBytes(f);
          Item i = byDigest.get(BlobCodec.sha256(original));
          assertNotNull(i, f + " is missing after the import");
          assertArrayEquals(original, fresh.store.content(a.id(), i.id()), f.toString());
          total++;
        }
        assertEquals(old.store.items(old.store.account(e.getKey()).orElseThrow().id()).size(),
            fresh.store.items(a.id()).size(), e.getKey());
      }
      assertEquals(total, im.stats().counter("restoredItems"));
    }
  }
}
