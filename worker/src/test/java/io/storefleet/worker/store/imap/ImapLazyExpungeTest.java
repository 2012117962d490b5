package io.storefleet.worker.store.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A site with Dovecot's lazy_expunge: its mailbox is no folder, and it is the content of expunged mail. */
class ImapLazyExpungeTest {
  @RegisterExtension static final DovecotExtension DOVECOT = DovecotExtension.withLazyExpunge();

  @TempDir Path dir;

  private static ImapStoreConfig config(String lazyExpunge) {
    DovecotServer d = DOVECOT.server();
    return new ImapStoreConfig("127.0.0.1", d.imapPort(), ImapStoreConfig.Tls.NONE, null, d.masterUser(),
        d.masterPasswordFile(), URI.create("http://127.0.0.1:" + d.httpPort() + "/doveadm/v1"),
        d.doveadmPasswordFile(), 2, d.usersFile(), Duration.ofSeconds(60), null, ImapStoreConfig.DEFAULT_SWEEP,
        lazyExpunge, ImapStoreConfig.DEFAULT_KEPT_SESSIONS, DovecotServer.VIEW_NAMESPACES);
  }

  private static byte[] message(String subject) {
    return ("From: x@example.test\nSubject: " + subject + "\n\nLF-only body of " + subject + "\n").getBytes(UTF_8);
  }

  private static ImapConnections anotherClient() {
    ImapStoreConfig c = config(null);
    return new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()));
  }

  private static void expungeAsAnotherClient(String user, String subject) {
    ImapConnections other = anotherClient();
    other.call(user, s -> {
      for (MessageMeta m : s.messages("INBOX")) {
        if (new String(s.body("INBOX", m.uid()).orElseThrow(), UTF_8).contains("Subject: " + subject + "\r\n")) {
          s.expunge("INBOX", new long[] {m.uid()});
        }
      }
      return null;
    });
    other.close();
  }

  @Test
  void theLazyExpungeMailboxIsNoFolderAndHoldsTheContentOfExpungedMail() throws Exception {
    try (ImapMailStore store = ImapMailStore.open(config(DovecotServer.LAZY_EXPUNGE_MAILBOX), dir.resolve("s"),
        MutableClock.atEpoch2026())) {
      Account a = store.createAccount("z-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
          Map.of());
      List<Item> added = store.addMessages(a.id(), Folder.INBOX, List.of(message("keep"), message("gone")), Set.of(),
          Set.of());
      Item gone = added.get(1);
      byte[] served = store.content(a.id(), gone.id());
      expungeAsAnotherClient(a.name(), "gone");
      assertEquals(List.of(added.get(0)), store.items(a.id()));
      assertTrue(store.folders(a.id()).stream().noneMatch(f -> f.name().equals(DovecotServer.LAZY_EXPUNGE_MAILBOX)),
          "the lazy_expunge mailbox is not one of the account's folders: " + store.folders(a.id()));
      assertArrayEquals(served, store.retainedContent(gone.digest(), gone.size()).orElseThrow());
      assertEquals(gone.digest(), BlobCodec.sha256(served));
      assertTrue(store.retainedContent(BlobCodec.sha256(message("never")), served.length).isEmpty());
    }
    try (ImapMailStore without = ImapMailStore.open(config(null), dir.resolve("s"), MutableClock.atEpoch2026())) {
      assertTrue(without.retainedContent(BlobCodec.sha256("x".getBytes(UTF_8)), 1).isEmpty());
    }
  }

  @Test
  void mailThatArrivesAndIsExpungedBetweenTwoPassesIsJournalledFromTheLazyExpungeMailbox() throws Exception {
    try (ImapMailStore store = ImapMailStore.open(config(DovecotServer.LAZY_EXPUNGE_MAILBOX), dir.resolve("s"),
        MutableClock.atEpoch2026())) {
      Account a = store.createAccount("f-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test", null,
          Map.of());
      Item known = store.addMessages(a.id(), Folder.INBOX, List.of(message("known")), Set.of(), Set.of()).get(0);
      assertEquals(List.of(known), store.items(a.id()));
      long before = store.lastSequence();
      ImapConnections other = anotherClient();
      other.call(a.name(), s -> s.append("INBOX", message("fleeting"), ImapFlags.of(Set.of("seen"), Set.of()), null));
      other.close();
      expungeAsAnotherClient(a.name(), "fleeting");
      expungeAsAnotherClient(a.name(), "known");
      assertTrue(store.items(a.id()).isEmpty());
      List<JournalEntry> found = store.journal(before + 1, 100);
      assertEquals(List.of(Mutation.ITEM_DELETED, Mutation.ITEM_CREATED, Mutation.ITEM_DELETED),
          found.stream().map(JournalEntry::type).toList(), found.toString());
      assertEquals(known.id(), found.get(0).itemId());
      JournalEntry created = found.get(1);
      assertEquals("fleeting", created.detail().path("subject").asText());
      assertEquals(Folder.INBOX, created.detail().path("folderId").asInt());
      assertEquals(created.itemId(), found.get(2).itemId());
      assertTrue(created.itemId() > known.id());
      byte[] kept = store.retainedContent(created.detail().path("digest").asText(),
          created.detail().path("size").asLong()).orElseThrow();
      assertTrue(new String(kept, UTF_8).contains("Subject: fleeting\r\n"));
      assertEquals(found, store.journal(before + 1, 100));
      store.items(a.id());
      assertEquals(found, store.journal(before + 1, 100), "a later pass finds nothing more");
    }
  }
}
