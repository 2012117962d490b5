package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.CanonicalContent;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.store.local.MessageSources;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.SharedCorpus;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message of the shared corpus (when it is checked out beside the repository) appended by a
 * plain IMAP client (MULTIAPPEND, each message with its own flags, keywords and INTERNALDATE) into one Dovecot, backed up by a worker on it, and restored into a new account
 * on another Dovecot: the second serves every message with the bytes, INTERNALDATE, flags and
 * keywords the first served after the original APPEND. The report ({@code
 * target/corpus-imap-restore.txt} and the test output) counts the messages whose wire form differs
 * from their file, and those whose wire form is not the file's canonical form ({@link
 * CanonicalContent}) because a plain APPEND loses a CR; the store's own APPEND keeps what the first
 * Dovecot served.
 */
class ImapCorpusRestoreTest {
  @RegisterExtension static final DovecotExtension ORIGINAL = new DovecotExtension();
  @RegisterExtension static final DovecotExtension OTHER = new DovecotExtension();
  private static final String SOURCE = "src@corpus.test";
  private static final String COPY = "copy@corpus.test";
  private static final List<String> MAILBOXES = List.of("INBOX", "Lists", "Archive/2005");

  /** Scanning and restoring thousands of messages over IMAP on a loaded machine. */
  private static final Duration LONG = Duration.ofMinutes(20);

  @TempDir Path dir;

  @Test
  void everyCorpusMessageComesBackOnAnotherDovecotAsTheFirstServedIt() throws Exception {
    Optional<Path> corpus = SharedCorpus.find();
    assumeTrue(corpus.isPresent(), "no shared corpus beside the repository");
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(corpus.get())) {
      sources = walk.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".eml") || p.toString()
          .endsWith(".mbox"))).sorted().toList();
    }
    assertTrue(!sources.isEmpty(), "the corpus holds no .eml or .mbox files");

    ImapStoreConfig first = ImapTestClient.config(ORIGINAL.server());
    ImapStoreConfig second = ImapTestClient.config(OTHER.server());
    ImapTestClient client = new ImapTestClient(first);
    List<ImapTestClient.Served> originals = new ArrayList<>();
    int messages = 0;
    int notTheFile = 0;
    List<String> notCanonical = new ArrayList<>();
    long start = System.nanoTime();
    long appended;
    long scanned;
    long restored;
    try (RestoreFixture backup = new RestoreFixture(dir, Pacer.NONE,
        local -> open(first, dir.resolve("imap-original"), SOURCE), RemoteShares.NONE)) {
      MAILBOXES.stream().filter(m -> !m.equals("INBOX")).forEach(m -> client.create(SOURCE, m));
      // Per mailbox, in corpus order: the messages and the files they came from.
      Map<String, List<ImapTestClient.Message>> byMailbox = new LinkedHashMap<>();
      Map<String, List<String>> files = new LinkedHashMap<>();
      for (Path source : sources) {
        for (byte[] raw : MessageSources.read(source)) {
          int i = messages++;
          String mailbox = MAILBOXES.get(i % MAILBOXES.size());
          byMailbox.computeIfAbsent(mailbox, m -> new ArrayList<>()).add(new ImapTestClient.Message(raw, flags(i),
              keywords(i), Instant.parse("2002-01-01T00:00:00Z").plusSeconds(i * 3_617L)));
          files.computeIfAbsent(mailbox, m -> new ArrayList<>()).add(source.getFileName().toString());
        }
      }
      for (Map.Entry<String, List<ImapTestClient.Message>> box : byMailbox.entrySet()) {
        List<ImapTestClient.Served> served = client.appendEach(SOURCE, box.getKey(), box.getValue());
        for (int k = 0; k < served.size(); k++) {
          byte[] raw = box.getValue().get(k).raw();
          originals.add(served.get(k));
          if (!Arrays.equals(raw, served.get(k).bytes())) {
            notTheFile++;
          }
          if (!Arrays.equals(CanonicalContent.of(raw), served.get(k).bytes())) {
            notCanonical.add(files.get(box.getKey()).get(k));
          }
        }
      }
      appended = System.nanoTime();
      assertSucceeded(backup.run(LONG, "doSmartScan"));
      scanned = System.nanoTime();
    }
    Operation restore;
    Map<String, Integer> served;
    try (RestoreFixture other = new RestoreFixture(dir, Pacer.NONE,
        local -> open(second, dir.resolve("imap-other"), null), RemoteShares.NONE)) {
      other.store.createDomain("corpus.test");
      restore = other.run(LONG, "doRestoreOnNewAccount", SOURCE, COPY, "last");
      restored = System.nanoTime();
      served = ImapTestClient.multiset(new ImapTestClient(second).all(COPY));
    }
    String report = "corpus on Dovecot: " + messages + " messages from " + sources.size() + " files appended to one"
        + " instance; " + notTheFile + " served in a wire form that differs from the file, " + notCanonical.size()
        + " in a form that is not the file's canonical form (a CR before CRLF or at the end, which a plain APPEND"
        + " loses)" + (notCanonical.isEmpty() ? "" : " " + notCanonical)
        + "; restored into a new account on another instance: " + restore.stats().counter("restored")
        + " restored, verdict: " + restore.stats().verdict() + "\ntimes: APPEND by the client " + seconds(start, appended)
        + " s, doSmartScan " + seconds(appended, scanned) + " s, doRestoreOnNewAccount (with its verification) "
        + seconds(scanned, restored) + " s\n";
    System.out.print(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "corpus-imap-restore.txt"), report);

    assertSucceeded(restore);
    assertEquals(messages, restore.stats().counter("restored"));
    assertEquals(ImapTestClient.multiset(originals), served,
        "the other Dovecot serves every message as the first served it after the APPEND");
  }

  private static long seconds(long from, long to) {
    return (to - from) / 1_000_000_000L;
  }

  private static ImapMailStore open(ImapStoreConfig config, Path where, String account) {
    try {
      ImapMailStore store = ImapMailStore.open(config, where, MutableClock.atEpoch2026());
      if (account != null) {
        store.createAccount(account, null, Map.of());
      }
      return store;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<String> flags(int i) {
    Set<String> f = new TreeSet<>();
    if (i % 4 == 0) {
      f.add("\\Seen");
    }
    if (i % 5 == 0) {
      f.add("\\Flagged");
      f.add("\\Answered");
    }
    return f;
  }

  private static Set<String> keywords(int i) {
    Set<String> k = new TreeSet<>();
    if (i % 7 == 0) {
      k.add("$Forwarded");
    }
    if (i % 11 == 0) {
      k.add("work");
    }
    return k;
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + "\n" + OperationText.stats(op.stats()));
  }
}
