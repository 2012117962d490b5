package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import jakarta.mail.Flags;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.angus.mail.imap.AppendUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The IMAP commands the store relies on, against a private Dovecot: the facts components.md found. */
class ImapSessionTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();
  private static ImapConnections connections;

  static ImapStoreConfig config(DovecotServer d, int maxConnections) {
    return new ImapStoreConfig("127.0.0.1", d.imapPort(), ImapStoreConfig.Tls.NONE, null, d.masterUser(),
        d.masterPasswordFile(), URI.create("http://127.0.0.1:" + d.httpPort() + "/doveadm/v1"),
        d.doveadmPasswordFile(), maxConnections, d.usersFile(), Duration.ofSeconds(60), null,
        ImapStoreConfig.DEFAULT_SWEEP, null, ImapStoreConfig.DEFAULT_KEPT_SESSIONS, DovecotServer.VIEW_NAMESPACES);
  }

  @BeforeAll
  static void users() throws Exception {
    DovecotServer d = DOVECOT.server();
    d.addUser("alice@example.test", "pw");
    ImapStoreConfig c = config(d, 2);
    connections = new ImapConnections(c, SecretFile.read("store.imapMasterPasswordFile", c.masterPasswordFile()));
  }

  @Test
  void wireBytesComeBackCanonicalAndRawAppendKeepsFlagsKeywordsAndDate() {
    byte[] lfOnly = "From: a@example.test\nSubject: lf\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
    Instant date = Instant.parse("2020-02-03T04:05:06Z");
    Flags flags = ImapFlags.of(Set.of("seen", "flagged"), Set.of("work item", "ünï"));
    byte[] served = connections.call("alice@example.test", s -> {
      AppendUID uid = s.append("INBOX", lfOnly, flags, date);
      MessageMeta meta = s.messages("INBOX").stream().filter(m -> m.uid() == uid.uid).findFirst().orElseThrow();
      assertEquals(date, meta.internalDate());
      assertEquals(Set.of("seen", "flagged"), meta.systemFlags());
      assertEquals(Set.of("work item", "ünï"), ImapFlags.tags(meta.keywords()));
      assertFalse(meta.guid().isEmpty());
      return s.body("INBOX", uid.uid).orElseThrow();
    });
    // Dovecot serves LF-only lines as CRLF: the wire form, not the file.
    assertArrayEquals("From: a@example.test\r\nSubject: lf\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), served);
  }

  @Test
  void dovecotServesTheCanonicalFormOfWhatWasAppended() {
    // The definition CanonicalContent documents, checked against the server it describes (for
    // what a plain APPEND keeps; the next test has the two cases it does not).
    byte[] raw = "From: a@example.test\nSubject: odd\r\n\nnul\0here\rlone cr\r\nlf\n\nlast"
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] served = connections.call("alice@example.test", s -> {
      long uid = s.append("INBOX", raw, new Flags(), null).uid;
      return s.body("INBOX", uid).orElseThrow();
    });
    assertEquals(new String(io.storefleet.worker.store.CanonicalContent.of(raw), StandardCharsets.ISO_8859_1),
        new String(served, StandardCharsets.ISO_8859_1));
  }

  @Test
  void aCrBeforeCrLfOrAtTheEndIsDroppedByAPlainAppendAndKeptByTheStoresOne() {
    byte[] raw = "Subject: cr\r\n\r\ntwo\r\r\nthree\r\r\r\nlast\r".getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> served = connections.call("alice@example.test", s -> List.of(
        s.body("INBOX", s.append("INBOX", raw, new Flags(), null).uid).orElseThrow(),
        s.body("INBOX", s.append("INBOX", AppendBytes.of(raw), new Flags(), null).uid).orElseThrow()));
    assertEquals("Subject: cr\r\n\r\ntwo\r\nthree\r\r\nlast", new String(served.get(0), StandardCharsets.ISO_8859_1));
    assertArrayEquals(raw, served.get(1));
  }

  @Test
  void moveKeepsTheMessageGuidAndExpungeRemovesExactlyTheUidsMeant() {
    connections.call("alice@example.test", s -> {
      s.create("Moves");
      s.create("Moves2");
      long a = s.append("Moves", msg("a"), new Flags(), null).uid;
      long b = s.append("Moves", msg("b"), new Flags(), null).uid;
      String guidA = guid(s, "Moves", a);
      long moved = s.move("Moves", a, "Moves2");
      assertEquals(guidA, guid(s, "Moves2", moved));
      // b is \Deleted by another client's choice; expunging a UID that is not b must keep it.
      s.replaceFlags("Moves", b, ImapFlags.of(Set.of("deleted"), Set.of()));
      long c = s.append("Moves", msg("c"), new Flags(), null).uid;
      s.expunge("Moves", new long[] {c});
      List<Long> left = s.messages("Moves").stream().map(MessageMeta::uid).toList();
      assertEquals(List.of(b), left);
      return null;
    });
  }

  /** A failed EXAMINE leaves no mailbox selected on the server: the session's liveness check must not UNSELECT. */
  @Test
  void aFailedExamineLeavesTheSessionUsable() {
    connections.call("alice@example.test", s -> {
      s.examine("INBOX");
      assertThrows(org.eclipse.angus.mail.iap.CommandFailedException.class, () -> s.examine("NoSuchMailbox"));
      s.checkAlive();
      return null;
    });
  }

  /**
   * ImapTraffic counts a whole message per {@code BODY[]} literal the server sent, whatever the
   * FETCH was worded as: parts, heads and UIDs that are gone are no message read.
   */
  @Test
  void wholeMessagesReadAreCountedFromTheLiteralsTheServerSent() {
    ImapTraffic traffic = connections.traffic();
    connections.call("alice@example.test", s -> {
      s.create("Reads");
      long[] uids = s.appendAll("Reads", List.of(new ImapSession.Appending(msg("r1"), new Flags(), null),
          new ImapSession.Appending(msg("r2"), new Flags(), null), new ImapSession.Appending(msg("r3"), new Flags(),
              null)));
      String range = uids[0] + ":" + uids[2];
      ImapTraffic.Counts start = traffic.counts();
      long bytes = s.served("Reads", uids).values().stream().mapToLong(m -> m.wire().length).sum();
      assertEquals(new ImapTraffic.Counts(0, 3, bytes, 1, 0), traffic.counts().since(start), "the store's own FETCH");
      ImapTraffic.Counts before = traffic.counts();
      s.run("UID FETCH " + range + " (BODY.PEEK[] UID)", null);
      assertEquals(3, traffic.counts().since(before).messagesRead(), "a FETCH of the range worded otherwise");
      before = traffic.counts();
      s.run("UID FETCH " + range + " (UID BODY.PEEK[]<0.10> BODY.PEEK[HEADER] BODY.PEEK[TEXT])", null);
      s.run("UID FETCH " + (uids[2] + 1) + ":" + (uids[2] + 5) + " (UID BODY.PEEK[])", null);
      assertEquals(0, traffic.counts().since(before).messagesRead(), "parts, heads and gone UIDs are no message");
      before = traffic.counts();
      s.run("UID FETCH " + uids[1] + " (BODY.PEEK[HEADER] BODY.PEEK[])", null);
      assertEquals(1, traffic.counts().since(before).messagesRead(), "the whole message beside its head");
      return null;
    });
  }

  @Test
  void mailboxesHaveGuidsSpecialUseAndModifiedUtf7NamesAndMetadataSurvivesRename() {
    connections.call("alice@example.test", s -> {
      s.create("Äpfel & Birnen");
      s.setMetadata("Äpfel & Birnen", FolderMapping.FOLDER_ID, "4711");
      List<MailboxStatus> all = s.mailboxes();
      MailboxStatus apples = all.stream().filter(m -> m.name().equals("Äpfel & Birnen")).findFirst().orElseThrow();
      assertTrue(apples.selectable());
      assertNotEquals("", apples.guid());
      assertTrue(apples.uidValidity() > 0);
      assertEquals("\\trash", all.stream().filter(m -> m.name().equals("Trash")).findFirst().orElseThrow().specialUse());
      assertEquals(Optional.of("4711"), s.metadata("Äpfel & Birnen", FolderMapping.FOLDER_ID));
      assertEquals(Optional.empty(), s.metadata("", "/private/vendor/vendor.storefleet/unset"));
      // Renamed, into a new parent too: the same mailbox (GUID, UIDVALIDITY) keeps its METADATA.
      s.rename("Äpfel & Birnen", "Obst/Birnen & Äpfel");
      List<MailboxStatus> renamed = s.mailboxes();
      assertTrue(renamed.stream().noneMatch(m -> m.name().equals("Äpfel & Birnen")), renamed.toString());
      MailboxStatus pears = renamed.stream().filter(m -> m.name().equals("Obst/Birnen & Äpfel")).findFirst()
          .orElseThrow();
      assertEquals(apples.guid(), pears.guid());
      assertEquals(apples.uidValidity(), pears.uidValidity());
      assertEquals(Optional.of("4711"), s.metadata("Obst/Birnen & Äpfel", FolderMapping.FOLDER_ID));
      return null;
    });
  }

  @Test
  void aRefusedLoginIsAnIndefiniteErrorNamingTheServer() {
    StorefleetException e = org.junit.jupiter.api.Assertions.assertThrows(StorefleetException.class,
        () -> connections.call("nobody@example.test", s -> null));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertFalse(e.code().definite());
    assertTrue(e.getMessage().contains("127.0.0.1:" + DOVECOT.server().imapPort()), e.getMessage());
    assertTrue(e.getMessage().contains("nobody@example.test*backup"), e.getMessage());
  }

  private static String guid(ImapSession s, String mailbox, long uid)
      throws org.eclipse.angus.mail.iap.ProtocolException {
    return s.messages(mailbox).stream().filter(m -> m.uid() == uid).findFirst().orElseThrow().guid();
  }

  private static byte[] msg(String subject) {
    return ("From: x@example.test\r\nSubject: " + subject + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
