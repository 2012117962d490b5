package io.storefleet.worker.restore;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.CanonicalContent;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's scan and restore on Dovecot: messages appended by a plain IMAP client, a SmartScan,
 * then doRestoreOnNewAccount; Dovecot then serves the new account's messages byte for byte as it
 * served the originals after their APPEND, in the same folders, with their flags, keywords and
 * INTERNALDATE. The whole corpus, restored onto another Dovecot, is {@link ImapCorpusRestoreTest}.
 */
class ImapRestoreComponentTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + "\n" + OperationText.stats(op.stats()));
  }

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
      // Runs of CR that Dovecot shortens on every APPEND: served once, they must come back as served.
      originals.add(client.append("ann@example.test", "INBOX",
          "Subject: crs\r\n\r\na\r\r\r\nb\r\r".getBytes(UTF_8), Set.of(), Set.of()));
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
  void anItemExpungedOverImapIsFoundBySearchAndComesBackAloneWithItsDate() throws Exception {
    String cid = "cid@example.test";
    try (Restore r = new Restore(dir, cid)) {
      r.client.create(cid, "Projects");
      ImapTestClient.Served keep = r.client.append(cid, "INBOX", "From: a@example.test\r\nSubject: keep\r\n\r\nx\r\n"
          .getBytes(UTF_8), Set.of(), Set.of(), Instant.parse("2020-01-02T03:04:05Z"));
      ImapTestClient.Served gone = r.client.append(cid, "Projects", "From: a@example.test\nSubject: gone\n\nbody\n"
          .getBytes(UTF_8), Set.of("\\Seen"), Set.of("later", "$Forwarded"), Instant.parse("2021-06-07T08:09:10Z"));
      assertSucceeded(r.fixture.run("doSmartScan"));
      int id = r.itemId(cid, "gone");
      r.client.expunge(cid, gone);
      r.fixture.clock.advance(Duration.ofMinutes(5));
      assertSucceeded(r.fixture.run("doSmartScan"));

      JsonNode found = r.fixture.ask("doItemSearch", cid, "deleted", "true").result().get("items");
      assertEquals(1, found.size(), found.toString());
      assertEquals(id, found.get(0).get("id").asInt());
      assertEquals("gone", found.get(0).get("subject").asText());

      Operation op = r.fixture.run("doItemRestore", cid, Integer.toString(id));
      assertSucceeded(op);
      assertEquals(1, op.stats().counter("restored"));
      assertEquals(ImapTestClient.multiset(List.of(keep, gone)), ImapTestClient.multiset(r.client.all(cid)));

      Operation named = r.fixture.run("doItemRestore", cid, Integer.toString(id), "restore_folder", "/Recovered");
      assertSucceeded(named);
      List<ImapTestClient.Served> recovered = r.client.all(cid).stream().filter(m -> m.mailbox().equals("Recovered"))
          .toList();
      assertEquals(1, recovered.size());
      assertArrayEquals(gone.bytes(), recovered.get(0).bytes());
      assertEquals(gone.internalDate(), recovered.get(0).internalDate());
      assertEquals(gone.systemFlags(), recovered.get(0).systemFlags());
      assertEquals(gone.keywords(), recovered.get(0).keywords());
    }
  }

  @Test
  void aDeletedAccountComesBackAsItWasWhenDeleted() throws Exception {
    String dee = "dee@example.test";
    try (Restore r = new Restore(dir, dee)) {
      r.client.create(dee, "Archive/2019");
      List<ImapTestClient.Served> originals = List.of(
          r.client.append(dee, "INBOX", "From: a@example.test\nSubject: one\n\n1\n".getBytes(UTF_8), Set.of("\\Seen"),
              Set.of(), Instant.parse("2019-03-04T05:06:07Z")),
          r.client.append(dee, "Archive/2019", "From: a@example.test\r\nSubject: two\r\n\r\n2\r\n".getBytes(UTF_8),
              Set.of("\\Answered", "\\Flagged"), Set.of("old"), Instant.parse("2019-04-05T06:07:08Z")));
      assertSucceeded(r.fixture.run("doSmartScan"));
      Account gone = r.fixture.store.account(dee).orElseThrow();
      r.fixture.store.deleteAccount(gone.id());
      r.fixture.clock.advance(Duration.ofMinutes(5));
      assertSucceeded(r.fixture.run("doSmartScan"));
      assertTrue(r.fixture.store.account(dee).isEmpty());

      Operation op = r.fixture.run("doRestoreDeletedAccount", dee, "dee.back@example.test");
      assertSucceeded(op);
      assertEquals(2, op.stats().counter("restored"));
      assertTrue(op.stats().verdict().contains("as it was when deleted"), op.stats().verdict());
      assertEquals(ImapTestClient.multiset(originals), ImapTestClient.multiset(r.client.all("dee.back@example.test")));
    }
  }

  @Test
  void aNewAccountRestoredAtAnEarlierInstantHoldsTheMailOfThatInstant() throws Exception {
    String dan = "dan@example.test";
    try (Restore r = new Restore(dir, dan)) {
      ImapTestClient.Served one = r.client.append(dan, "INBOX", "From: a@example.test\nSubject: one\n\n1\n"
          .getBytes(UTF_8), Set.of(), Set.of(), Instant.parse("2025-12-01T10:00:00Z"));
      ImapTestClient.Served two = r.client.append(dan, "INBOX", "From: a@example.test\nSubject: two\n\n2\n"
          .getBytes(UTF_8), Set.of("\\Seen"), Set.of("keep"), Instant.parse("2025-12-02T10:00:00Z"));
      assertSucceeded(r.fixture.run("doSmartScan"));
      Instant t1 = r.fixture.clock.instant();
      r.fixture.clock.advance(Duration.ofHours(1));
      r.client.expunge(dan, one);
      ImapTestClient.Served three = r.client.append(dan, "INBOX", "From: a@example.test\nSubject: three\n\n3\n"
          .getBytes(UTF_8), Set.of(), Set.of(), Instant.parse("2025-12-03T10:00:00Z"));
      assertSucceeded(r.fixture.run("doSmartScan"));
      r.fixture.clock.advance(Duration.ofHours(1));

      assertSucceeded(r.fixture.run("doRestoreOnNewAccount", dan, "dan.then@example.test", DateArg.FORMAT.format(
          t1.atZone(ZoneOffset.UTC).toLocalDateTime())));
      assertEquals(ImapTestClient.multiset(List.of(one, two)), ImapTestClient.multiset(r.client.all("dan.then@example.test")));
      assertSucceeded(r.fixture.run("doRestoreOnNewAccount", dan, "dan.now@example.test", "last"));
      assertEquals(ImapTestClient.multiset(List.of(two, three)), ImapTestClient.multiset(r.client.all("dan.now@example.test")));
    }
  }

  @Test
  void aBackupOfTheEmbeddedStoreIsRestoredIntoDovecotAndVerifiedInCanonicalForm() throws Exception {
    byte[] lf = "From: a@example.test\nSubject: lf\n\nnul \0 and lf\n".getBytes(ISO_8859_1);
    byte[] crlf = "From: a@example.test\r\nSubject: crlf\r\n\r\nbody\r\n".getBytes(ISO_8859_1);
    Instant then = Instant.parse("2024-02-29T12:00:00Z");
    try (RestoreFixture embedded = new RestoreFixture(dir)) {
      embedded.local.createDomain("example.test");
      Account eve = embedded.account("eve@example.test");
      embedded.local.addMessages(eve.id(), Folder.INBOX, List.of(lf, crlf), Set.of("seen"), Set.of("work"),
          List.of(then, then));
      assertSucceeded(embedded.run("doSmartScan"));
    }
    // An account of the domain on Dovecot, so the domain exists there.
    try (Restore r = new Restore(dir, "keeper@example.test")) {
      assertEquals(Set.of("local"), ContentMatch.kinds(r.fixture.engine));
      Operation op = r.fixture.run("doRestoreOnNewAccount", "eve@example.test", "eve.imap@example.test", "last");
      assertSucceeded(op);
      assertTrue(op.stats().verdict().contains("canonical form"), op.stats().verdict());
      assertTrue(op.stats().verdict().contains("/Briefcase"), "the embedded store's document folder is left out, said: "
          + op.stats().verdict());
      Map<String, Integer> expected = ImapTestClient.multiset(Stream.of(lf, crlf).map(raw -> new ImapTestClient.Served(
          "INBOX", 0, CanonicalContent.of(raw), Set.of("seen"), Set.of("work"), then)).toList());
      assertEquals(expected, ImapTestClient.multiset(r.client.all("eve.imap@example.test")));
      // Running it again finds both messages already there, though their bytes differ from the backup's.
      Operation again = r.fixture.run("doRestoreOnNewAccount", "eve@example.test", "eve.imap@example.test", "last");
      assertSucceeded(again);
      assertEquals(2, again.stats().counter("skipped"));
      assertEquals(0, again.stats().counter("restored"));
      assertEquals(expected, ImapTestClient.multiset(r.client.all("eve.imap@example.test")));
    }
  }

  /**
   * The embedded store holds a zero-byte message, which Dovecot never takes: it refuses the whole
   * batch (MULTIAPPEND is all or none), so the restore adds the batch one message at a time.
   */
  @Test
  void aMessageDovecotRefusesIsUnrestoredWithItsReasonAndTheRestOfItsBatchIsRestored() throws Exception {
    byte[] one = "From: a@example.test\r\nSubject: one\r\n\r\n1\r\n".getBytes(ISO_8859_1);
    byte[] two = "From: a@example.test\r\nSubject: two\r\n\r\n2\r\n".getBytes(ISO_8859_1);
    Instant then = Instant.parse("2024-03-01T12:00:00Z");
    int empty;
    try (RestoreFixture embedded = new RestoreFixture(dir)) {
      embedded.local.createDomain("example.test");
      Account fay = embedded.account("fay@example.test");
      empty = embedded.local.addMessages(fay.id(), Folder.INBOX, List.of(one, new byte[0], two), Set.of(), Set.of(),
          List.of(then, then, then)).get(1).id();
      assertSucceeded(embedded.run("doSmartScan"));
    }
    // The class's Dovecot has the other tests' accounts: this keeper of the domain is its own.
    try (Restore r = new Restore(dir, "fay.keeper@example.test")) {
      Operation op = r.fixture.run("doRestoreOnNewAccount", "fay@example.test", "fay.imap@example.test", "last");
      assertEquals(OperationState.FAILED, op.state(), op.error() + " " + op.stats().verdict());
      assertTrue(op.stats().verdict().startsWith("1 item(s) could not be restored"), op.stats().verdict());
      assertEquals(2, op.stats().counter("restored"));
      assertEquals(1, op.stats().counter("unrestored"));
      Unrestored refused = op.stats().unrestored().get(0);
      assertEquals(List.of(empty), op.stats().unrestored().stream().map(u -> (int) u.itemId()).toList());
      assertEquals("fay@example.test", refused.account());
      assertTrue(refused.cause().startsWith("invalid item: IMAP server 127.0.0.1:" + DOVECOT.server().imapPort()
          + " refused") && refused.cause().contains("NO Can't save a zero byte message"), refused.cause());
      Map<String, Integer> expected = ImapTestClient.multiset(Stream.of(one, two).map(raw -> new ImapTestClient.Served(
          "INBOX", 0, raw, Set.of(), Set.of(), then)).toList());
      assertEquals(expected, ImapTestClient.multiset(r.client.all("fay.imap@example.test")));
    }
  }

  /** A restore fixture whose store is the imap store on the private Dovecot. */
  private static final class Restore implements AutoCloseable {
    final RestoreFixture fixture;
    final ImapTestClient client;
    final String source;

    /** @param source an account to create on Dovecot first, or null */
    Restore(Path dir, String source) throws Exception {
      ImapStoreConfig config = ImapTestClient.config(DOVECOT.server());
      ImapMailStore imap = ImapMailStore.open(config, dir.resolve("imap"), MutableClock.atEpoch2026());
      if (source != null) {
        imap.createAccount(source, null, Map.of());
      }
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

    /** The store's id of the one message of an account with this subject. */
    int itemId(String account, String subject) {
      Account a = fixture.store.account(account).orElseThrow();
      return fixture.store.items(a.id()).stream().filter(i -> i.subject().equals(subject)).findFirst().orElseThrow().id();
    }

    @Override
    public void close() throws Exception {
      fixture.close();
    }
  }
}
