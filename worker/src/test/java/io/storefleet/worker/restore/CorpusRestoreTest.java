package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * Every message of the shared corpus, real and deliberately malformed mail, is restored byte for
 * byte into a new account, each in the folder it was in. Skipped where the corpus is absent; a
 * corpus that is there is always used ({@link io.storefleet.worker.testing.SharedCorpus}), and an
 * empty one fails.
 */
class CorpusRestoreTest {
  @TempDir Path dir;

  @Test
  void everyCorpusMessageIsRestoredByteIdentical() throws Exception {
    Optional<Path> corpus = SharedCorpus.find();
    assumeTrue(corpus.isPresent(), "no shared/corpus next to the repository");
    Map<String, List<Path>> byFolder = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(corpus.get())) {
      files.filter(p -> p.getFileName().toString().endsWith(".eml") && Files.isRegularFile(p)).sorted()
          .forEach(p -> byFolder.computeIfAbsent("/Corpus/" + corpus.get().relativize(p.getParent()).toString()
              .replaceAll("[^A-Za-z0-9]+", "-"), k -> new ArrayList<>()).add(p));
    }
    assertTrue(!byFolder.isEmpty(), "the corpus holds no .eml files");
    try (RestoreFixture f = new RestoreFixture(dir)) {
      f.local.createDomain("corpus.test");
      Account src = f.account("src@corpus.test");
      int total = 0;
      for (Map.Entry<String, List<Path>> e : byFolder.entrySet()) {
        Folder folder = f.local.createFolder(src.id(), e.getKey(), "message");
        List<byte[]> raws = new ArrayList<>();
        for (Path p : e.getValue()) {
          raws.add(Files.readAllBytes(p));
          if (raws.size() == 200) {
            f.local.addMessages(src.id(), folder.id(), raws, Set.of(), Set.of());
            raws.clear();
          }
        }
        if (!raws.isEmpty()) {
          f.local.addMessages(src.id(), folder.id(), raws, Set.of(), Set.of());
        }
        total += e.getValue().size();
      }
      assertEquals(OperationState.SUCCEEDED, f.run("doAccountScan", "src@corpus.test").state());

      Operation op = f.run("doRestoreOnNewAccount", "src@corpus.test", "copy@corpus.test", "last");
      assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + " " + op.stats().verdict());
      assertEquals(total, op.stats().counter("restored"));
      Account copy = f.local.account("copy@corpus.test").orElseThrow();
      int checked = 0;
      for (Map.Entry<String, List<Path>> e : byFolder.entrySet()) {
        Folder folder = f.local.folder(copy.id(), e.getKey()).orElseThrow();
        Map<String, Deque<Item>> restored = new HashMap<>();
        for (Item i : f.local.items(copy.id(), folder.id())) {
          restored.computeIfAbsent(i.digest(), k -> new ArrayDeque<>()).add(i);
        }
        for (Path p : e.getValue()) {
          byte[] original = Files.readAllBytes(p);
          Deque<Item> same = restored.get(BlobCodec.sha256(original));
          Item i = same == null ? null : same.poll();
          assertArrayEquals(original, i == null ? null : f.local.content(copy.id(), i.id()), p.toString());
          checked++;
        }
        assertEquals(0, restored.values().stream().mapToInt(Deque::size).sum(), "nothing extra in " + e.getKey());
      }
      assertEquals(total, checked);
    }
  }
}
