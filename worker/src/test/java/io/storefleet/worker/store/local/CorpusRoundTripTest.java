package io.storefleet.worker.store.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every corpus message (real and deliberately malformed mail) goes in and comes back out byte for
 * byte, across a reopen. Skipped where the shared corpus is not checked out; a corpus that is
 * there is always used ({@link io.storefleet.worker.testing.SharedCorpus}), and an empty one fails.
 */
class CorpusRoundTripTest {
  @TempDir Path dir;

  static Optional<Path> corpus() {
    return io.storefleet.worker.testing.SharedCorpus.find();
  }

  @Test
  void everyCorpusMessageRoundTripsByteForByte() throws IOException {
    Optional<Path> corpus = corpus();
    assumeTrue(corpus.isPresent(), "no shared/corpus next to the repository");
    Map<Path, List<Path>> byFolder = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(corpus.get())) {
      files.filter(f -> f.getFileName().toString().endsWith(".eml") && Files.isRegularFile(f))
          .sorted()
          .forEach(f -> byFolder.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f));
    }
    Map<String, Map<Integer, Path>> sources = new LinkedHashMap<>(); // account -> item id -> file
    int total = 0;
    try (LocalMailStore store = LocalMailStore.open(dir, MutableClock.atEpoch2026())) {
      store.createDomain("corpus.test");
      for (Map.Entry<Path, List<Path>> folder : byFolder.entrySet()) {
        String name = corpus.get().relativize(folder.getKey()).toString().replaceAll("[^A-Za-z0-9]+", "-");
        Account a = store.createAccount(name + "@corpus.test", null, Map.of());
        List<byte[]> raws = new ArrayList<>();
        for (Path f : folder.getValue()) {
          raws.add(Files.readAllBytes(f));
        }
        List<Item> items = store.addMessages(a.id(), Folder.INBOX, raws, Set.of(), Set.of());
        Map<Integer, Path> ids = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
          ids.put(items.get(i).id(), folder.getValue().get(i));
        }
        sources.put(a.id(), ids);
        total += items.size();
      }
    }
    assertTrue(total > 0, "the corpus holds no .eml files");
    int checked = 0;
    try (LocalMailStore store = LocalMailStore.open(dir, MutableClock.atEpoch2026())) {
      for (Map.Entry<String, Map<Integer, Path>> account : sources.entrySet()) {
        assertEquals(account.getValue().size(), store.items(account.getKey(), Folder.INBOX).size());
        for (Map.Entry<Integer, Path> item : account.getValue().entrySet()) {
          byte[] expected = Files.readAllBytes(item.getValue());
          assertArrayEquals(expected, store.content(account.getKey(), item.getKey()), item.getValue().toString());
          Item stored = store.item(account.getKey(), item.getKey()).orElseThrow();
          assertEquals(HeaderSummary.of(expected).subject(), stored.subject());
          checked++;
        }
      }
    }
    assertEquals(total, checked);
  }

  @Test
  void corpusMboxFilesSplitIntoTheirMessages() throws IOException {
    Optional<Path> corpus = corpus();
    assumeTrue(corpus.isPresent(), "no shared/corpus next to the repository");
    Path fixtures = corpus.get().resolve("fixtures");
    Path nice = fixtures.resolve("apache-spamassassin").resolve("nice.mbox");
    Path rlug = fixtures.resolve("james-mime4j").resolve("mbox__test-1__mbox.rlug.mbox");
    assertTrue(Files.isRegularFile(nice) && Files.isRegularFile(rlug), "corpus mbox files moved");
    List<byte[]> niceMessages = MessageSources.read(nice);
    assertEquals(3, niceMessages.size());
    assertEquals(5, MessageSources.read(rlug).size());
    for (byte[] m : niceMessages) {
      assertTrue(!HeaderSummary.of(m).from().isEmpty(), () -> "no From in " + new String(m, 0, Math.min(80, m.length), ISO_8859_1));
    }
  }
}
