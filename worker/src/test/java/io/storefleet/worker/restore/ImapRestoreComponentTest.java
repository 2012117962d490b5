package io.storefleet.worker.restore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.SharedCorpus;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's scan and restore on Dovecot: messages appended by a plain IMAP client, a SmartScan,
 * then doRestoreOnNewAccount; Dovecot then serves the new account's messages byte for byte as it
 * served the originals after their APPEND, in the same folders, with their flags and keywords.
 */
class ImapRestoreComponentTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;

  @Test
  void smartScanThenRestoreOnNewAccountServesTheSameBytes() throws Exception {
    List<ImapTestClient.Served> originals = new ArrayList<>();
    try (Restore r = new Restore(dir, "ann@example.test")) {
      ImapTestClient client = r.client;
      originals.add(client.append("ann@example.test", "INBOX",
          "From: a@example.test\nSubject: lf only\n\nline\n".getBytes(UTF_8), Set.of("\\Seen"), Set.of("work")));
      originals.add(client.append("ann@example.test", "INBOX",
          "From: b@example.test\r\nSubject: crlf\r\n\r\nline\r\n".getBytes(UTF_8), Set.of("\\Flagged"), Set.of()));
      client.create("ann@example.test", "Projects");
      client.create("ann@example.test", "Projects/2024");
      originals.add(client.append("ann@example.test", "Projects/2024",
          "From: c@example.test\r\nSubject: nested\r\n\r\nbody\r\n".getBytes(UTF_8), Set.of(), Set.of("a$b")));
      r.scanAndRestore(originals.size());
      assertEquals(ImapTestClient.multiset(originals), ImapTestClient.multiset(client.all("ann.copy@example.test")));
    }
  }

  @Test
  void aMessageExpungedByAnotherClientIsUndeletedWithItsBytes() throws Exception {
    try (Restore r = new Restore(dir, "bob@example.test")) {
      ImapTestClient.Served keep = r.client.append("bob@example.test", "INBOX",
          "From: a@example.test\r\nSubject: keep\r\n\r\nx\r\n".getBytes(UTF_8), Set.of(), Set.of());
      ImapTestClient.Served gone = r.client.append("bob@example.test", "INBOX",
          "From: a@example.test\nSubject: gone\n\nbody\n".getBytes(UTF_8), Set.of("\\Seen"), Set.of("later"));
      assertEquals(OperationState.SUCCEEDED, r.fixture.run("doSmartScan").state());
      r.client.expunge("bob@example.test", gone);
      assertEquals(OperationState.SUCCEEDED, r.fixture.run("doSmartScan").state());
      Operation op = r.fixture.run("doUndelete", "bob@example.test", "first", "last");
      assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + " " + op.stats().verdict());
      assertEquals(1, op.stats().counter("restored"));
      assertEquals(ImapTestClient.multiset(List.of(keep, gone)), ImapTestClient.multiset(r.client.all("bob@example.test")));
    }
  }

  @Test
  void corpusMessagesComeBackAsDovecotServedThem() throws Exception {
    Optional<Path> corpus = SharedCorpus.find();
    assumeTrue(corpus.isPresent(), "no shared corpus beside the repository");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(corpus.get())) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(".eml") && Files.isRegularFile(p)).sorted()
          .limit(300).toList();
    }
    assumeTrue(!files.isEmpty(), "the corpus holds no .eml files");
    try (Restore r = new Restore(dir, "src@corpus.test")) {
      List<ImapTestClient.Served> originals = new ArrayList<>();
      int differ = 0;
      for (Path p : files) {
        byte[] raw = Files.readAllBytes(p);
        ImapTestClient.Served s = r.client.append("src@corpus.test", "INBOX", raw, Set.of(), Set.of());
        originals.add(s);
        if (!java.util.Arrays.equals(raw, s.bytes())) {
          differ++;
        }
      }
      System.out.println("corpus on Dovecot: " + files.size() + " messages appended, " + differ
          + " served in a wire form that differs from the file (LF-only lines become CRLF)");
      r.scanAndRestore(files.size(), "src@corpus.test", "copy@corpus.test");
      assertEquals(ImapTestClient.multiset(originals), ImapTestClient.multiset(r.client.all("copy@corpus.test")));
    }
  }

  /** A restore fixture whose store is the imap store on the private Dovecot. */
  private static final class Restore implements AutoCloseable {
    final RestoreFixture fixture;
    final ImapTestClient client;
    final String source;

    Restore(Path dir, String source) throws Exception {
      ImapStoreConfig config = ImapTestClient.config(DOVECOT.server());
      ImapMailStore imap = ImapMailStore.open(config, dir.resolve("imap"), MutableClock.atEpoch2026());
      imap.createAccount(source, null, Map.of());
      this.source = source;
      this.client = new ImapTestClient(config);
      this.fixture = new RestoreFixture(dir, Pacer.NONE, local -> imap, RemoteShares.NONE);
    }

    void scanAndRestore(int messages) {
      scanAndRestore(messages, source, source.replace("@", ".copy@"));
    }

    void scanAndRestore(int messages, String from, String to) {
      Operation scan = fixture.run("doSmartScan");
      assertEquals(OperationState.SUCCEEDED, scan.state(), String.valueOf(scan.error()));
      Operation op = fixture.run("doRestoreOnNewAccount", from, to, "last");
      assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + " " + op.stats().verdict());
      assertEquals(messages, op.stats().counter("restored"));
      Account copy = fixture.store.account(to).orElseThrow();
      assertTrue(fixture.store.items(copy.id()).size() == messages);
    }

    @Override
    public void close() throws Exception {
      fixture.close();
    }
  }
}
