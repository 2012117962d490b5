package io.storefleet.worker.restore.raw;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.imap.BackupIds;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual's disaster recovery on a Dovecot-backed worker: a Dovecot whose mailboxes (and one
 * user's userdb line) were lost, and a worker whose store directory was lost with them, get
 * everything back from the backup path by doRawRestore (a user the userdb still lists is a
 * conflict until deleteWhenConflict replaces its empty mailbox) then doRestoreBlobs: accounts with their ids, COS and aliases,
 * folders with their ids (in METADATA), a mountpoint and a grant, and every message with its item
 * id, bytes, flags, keywords and INTERNALDATE; the journal continues above the backup's positions
 * and the next scan finds nothing new.
 */
class ImapRawRestoreTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  @TempDir Path dir;

  private static void succeeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), () -> op.error() + "\n" + OperationText.stats(op.stats()));
  }

  @Test
  void aDovecotThatLostItsMailComesBackByRawRestoreThenBlobRestore() throws Exception {
    ImapStoreConfig config = ImapTestClient.config(DOVECOT.server());
    String ray = "ray@example.test";
    String ann = "ann@example.test";
    int[] generation = {0};
    UnaryOperator<MailStore> imap = local -> {
      try {
        return ImapMailStore.open(config, dir.resolve("imap" + generation[0]++), MutableClock.atEpoch2026());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    try (DrFixture f = new DrFixture(dir, null, imap)) {
      MailStore store = f.store;
      store.createCos("gold", "the gold class");
      Account r = store.createAccount(ray, "gold", Map.of("displayName", "Ray"));
      store.addAlias(r.id(), "r@example.test");
      Account a = store.createAccount(ann, null, Map.of());
      store.createDistributionList("team@example.test", List.of(ray, ann));
      ImapTestClient client = new ImapTestClient(config);
      client.create(ray, "Projects");
      client.create(ray, "Projects/2024");
      List<ImapTestClient.Served> raySent = new ArrayList<>(List.of(
          client.append(ray, "INBOX", "From: a@example.test\nSubject: lf only\n\nline\n".getBytes(UTF_8),
              Set.of("\\Seen"), Set.of("work"), Instant.parse("2021-02-03T04:05:06Z")),
          client.append(ray, "INBOX", "From: b@example.test\r\nSubject: crlf\r\n\r\nline\r\n".getBytes(UTF_8),
              Set.of("\\Flagged", "\\Answered"), Set.of(), Instant.parse("2022-03-04T05:06:07Z")),
          client.append(ray, "Projects/2024", "From: c@example.test\r\nSubject: nested\r\n\r\nbody\r\n"
              .getBytes(UTF_8), Set.of(), Set.of("=C3=A9t=C3=A9", "$Forwarded"), Instant.parse("2023-04-05T06:07:08Z")),
          // Runs of CR Dovecot shortens on a plain APPEND: served once, they must come back as served.
          client.append(ray, "INBOX", "Subject: crs\r\n\r\na\r\r\r\nb\r\r".getBytes(UTF_8), Set.of(), Set.of(),
              Instant.parse("2024-05-06T07:08:09Z"))));
      List<ImapTestClient.Served> annSent = List.of(client.append(ann, "INBOX",
          "From: d@example.test\r\nSubject: shared\r\n\r\nfor ray\r\n".getBytes(UTF_8), Set.of(), Set.of(),
          Instant.parse("2020-01-01T00:00:00Z")));
      client.close();
      store.grant(a.id(), Folder.INBOX, r.id(), ray, "r");
      Folder mount = store.mount(r.id(), "/Shared/Ann", new Mountpoint(a.id(), Folder.INBOX, ann));
      succeeded(f.run("doSmartScan"));
      Map<String, Lost> lost = new TreeMap<>(Map.of(ray, Lost.of(store, r), ann, Lost.of(store, a)));
      long recorded = Math.max(store.lastSequence(), f.realtime.cursor());

      // The disaster: Dovecot loses the homes (mail, METADATA) and ann's userdb line (ray's stays),
      // the worker its store directory.
      f.replaceStore(local -> {
        wipe(DOVECOT.server(), List.of(ray, ann), List.of(ann));
        return imap.apply(local);
      });
      store = f.store;
      // As a worker starts: what its lost disk held is rebuilt from its backup path where it can be.
      ((ImapMailStore) store).recoverFrom(new BackupIds(f.engine, f.realtime.cursor()));
      assertTrue(store.account(ann).isEmpty());
      assertNotEquals(r.id(), store.account(ray).orElseThrow().id(), "a user still listed gets a new id when seen");

      Operation conflict = f.run("doRawRestore", f.backupPath.toString());
      assertEquals(OperationState.FAILED, conflict.state());
      assertEquals(ErrorCode.CONFLICT.name(), conflict.error().code(), conflict.error().message());
      assertEquals(1, conflict.stats().counter("accountsRestored"));
      assertEquals(1, conflict.stats().counter("accountsRefused"));
      Operation raw = f.run("doRawRestore", f.backupPath.toString(), "deleteWhenConflict", "true");
      succeeded(raw);
      assertEquals(1, raw.stats().counter("accountsRestored"));
      assertEquals(1, raw.stats().counter("accountsCompleted"));
      assertEquals(1, raw.stats().counter("mailboxesDeleted"));
      JournalEntry first = store.journal(0, 1).get(0);
      assertTrue(first.seq() > recorded, first.seq() + " must be past every recorded position " + recorded);
      Account back = store.account("r@example.test").orElseThrow();
      assertEquals(r.id(), back.id());
      assertEquals("gold", back.cos());
      assertEquals(Map.of("displayName", "Ray"), back.attributes());
      assertEquals(List.of("team@example.test"), store.distributionLists().stream().map(l -> l.name()).toList());
      for (Map.Entry<String, Lost> e : lost.entrySet()) {
        Account now = store.account(e.getKey()).orElseThrow();
        assertEquals(e.getValue().account().id(), now.id());
        assertEquals(e.getValue().folders(), store.folders(now.id()));
        assertEquals(e.getValue().items(), ids(store.items(now.id())), "every item is back, awaiting its content");
        for (Item i : store.items(now.id())) {
          StorefleetException missing = assertThrows(StorefleetException.class, () -> f.store.content(now.id(), i.id()));
          assertTrue(missing.getMessage().contains("doRestoreBlobs"), missing.getMessage());
        }
      }
      assertEquals(5, store.missingContent(1).size());
      assertTrue(store.journal(0, 10_000).stream().noneMatch(j -> j.type() == Mutation.ITEM_DELETED),
          "a restored mailbox is not taken for one that lost the backup's items");
      assertTrue(store.grants(a.id()).stream().anyMatch(g -> g.granteeId().equals(r.id())
          && g.folderId() == Folder.INBOX), "the grant is back: " + store.grants(a.id()));
      assertEquals(mount, store.folder(r.id(), "/Shared/Ann").orElseThrow());

      Operation blobs = f.run("doRestoreBlobs", "1", "dryrun", "false");
      succeeded(blobs);
      assertEquals(5, blobs.stats().counter("restored"));
      assertTrue(store.missingContent(1).isEmpty());
      ImapTestClient after = new ImapTestClient(config);
      try {
        assertEquals(ImapTestClient.multiset(raySent), ImapTestClient.multiset(after.all(ray)),
            "bytes, mailbox, flags, keywords and INTERNALDATE as Dovecot served them before the loss");
        assertEquals(ImapTestClient.multiset(annSent), ImapTestClient.multiset(after.all(ann)));
      } finally {
        after.close();
      }
      long restoredUpTo = store.lastSequence();
      for (Map.Entry<String, Lost> e : lost.entrySet()) {
        Account now = store.account(e.getKey()).orElseThrow();
        assertEquals(e.getValue().items(), ids(store.items(now.id())), "the messages took their items' ids");
        assertEquals(e.getValue().folders(), store.folders(now.id()));
        for (Item i : store.items(now.id())) {
          assertEquals(i.digest(), io.storefleet.worker.backup.format.BlobCodec.sha256(store.content(now.id(), i.id())));
        }
      }
      succeeded(f.run("doSmartScan"));
      List<JournalEntry> since = store.journal(restoredUpTo + 1, 1000);
      assertTrue(since.stream().noneMatch(j -> j.accountId() != null), "nothing new to journal after: " + since);
    }
  }

  /** What the backup recorded of one account: its folders, and its items by id (folder, size, digest). */
  private record Lost(Account account, List<Folder> folders, Map<Integer, String> items) {
    static Lost of(MailStore store, Account a) {
      return new Lost(a, store.folders(a.id()), ids(store.items(a.id())));
    }
  }

  private static Map<Integer, String> ids(List<Item> items) {
    Map<Integer, String> out = new TreeMap<>();
    items.forEach(i -> out.put(i.id(), i.folderId() + " " + i.size() + " " + i.digest() + " " + new java.util.TreeSet<>(
        i.flags()) + " " + new java.util.TreeSet<>(i.tags())));
    return out;
  }

  /** Deletes the users' homes and removes some of them from the passwd-file. */
  private static void wipe(DovecotServer d, List<String> homes, List<String> lines) {
    try {
      List<String> kept = Files.readAllLines(d.usersFile()).stream()
          .filter(line -> lines.stream().noneMatch(u -> line.startsWith(u + ":"))).toList();
      d.writeUsers(kept);
      for (String u : homes) {
        Path home = d.directory().resolve("mail").resolve(u);
        if (Files.exists(home)) {
          try (Stream<Path> walk = Files.walk(home)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
              Files.delete(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
