package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.testing.SmallFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under a SmartScan (the backup path's file system) and under a restore (the store's),
 * on a real size-limited tmpfs (issue 16): the operation fails naming the file and "no space
 * left", nothing committed before is lost (coherency check, restores and a reopen after it), and
 * the same command completes once space is freed.
 */
class DiskFullTest {
  private static final long VOLUME = 6L << 20;

  @TempDir Path dir;
  private final Random random = new Random(16);

  @Test
  void aSmartScanOnAFullBackupDiskFailsSayingSoAndTheNextOneCompletes() throws Exception {
    Path backup = dir.resolve("vol/backup");
    try (SmallFileSystem vol = SmallFileSystem.mount(dir.resolve("vol"), VOLUME)) {
      Map<String, MailboxView> before = new HashMap<>();
      Instant committed;
      List<Account> accounts = new ArrayList<>();
      try (RestoreFixture f = new RestoreFixture(dir, dir.resolve("store"), backup)) {
        f.local.createDomain("full.test");
        for (int i = 0; i < 6; i++) {
          Account a = f.account("user" + i + "@full.test");
          accounts.add(a);
          deliver(f, a, 8, 8 << 10);
        }
        assertSucceeded(f.run("doSmartScan"));
        for (Account a : accounts) {
          before.put(a.name(), MailboxView.of(f.local, a.id()));
        }
        committed = f.clock.instant();
        f.clock.set(committed.plusSeconds(3600));

        vol.fill(256 << 10);
        for (Account a : accounts) {
          deliver(f, a, 12, 48 << 10);
        }
        Operation full = f.run("doSmartScan");
        assertEquals(OperationState.FAILED, full.state(), "a scan that could not write its backup");
        String error = full.error().message();
        assertEquals("IO_ERROR", full.error().code(), error);
        assertTrue(error.contains("no space left on device writing " + backup), error);
        assertTrue(error.contains("free space"), error);

        // What the first scan committed is whole: it checks while the disk is still full, and
        // (a restore scans the account first, which needs space) restores as it was once freed.
        assertSucceeded(f.run("doCoherencyCheck", backup.toString()));
        vol.release();
        Account first = accounts.get(0);
        assertSucceeded(f.run("doRestoreOnNewAccount", first.name(), "copy0@full.test", date(committed)));
        assertEquals(before.get(first.name()), MailboxView.of(f.local, f.local.account("copy0@full.test")
            .orElseThrow().id()));

        assertSucceeded(f.run("doSmartScan"));
        assertSucceeded(f.run("doCoherencyCheck", backup.toString()));
      }
      // Reopened, as after a restart: every log reads back without damage and the backup is complete.
      try (RestoreFixture f = new RestoreFixture(dir, dir.resolve("store"), backup)) {
        f.clock.set(committed.plusSeconds(7200));
        assertSucceeded(f.run("doCoherencyCheck", backup.toString()));
        Account last = accounts.get(accounts.size() - 1);
        assertSucceeded(f.run("doRestoreOnNewAccount", last.name(), "copy5@full.test", "last"));
        Account copy = f.local.account("copy5@full.test").orElseThrow();
        assertEquals(MailboxView.of(f.local, last.id()).itemCount(), MailboxView.of(f.local, copy.id()).itemCount());
        assertTrue(before.get(last.name()).itemCount() < MailboxView.of(f.local, copy.id()).itemCount());
      }
    }
  }

  @Test
  void aRestoreOntoAFullStoreFailsSayingSoLosesNothingAndCompletesWhenRunAgain() throws Exception {
    Path store = dir.resolve("vol/store");
    try (SmallFileSystem vol = SmallFileSystem.mount(dir.resolve("vol"), VOLUME)) {
      MailboxView ann;
      Account a;
      try (RestoreFixture f = new RestoreFixture(dir, store, dir.resolve("backup"))) {
        f.local.createDomain("full.test");
        a = f.account("ann@full.test");
        deliver(f, a, 30, 48 << 10);
        assertSucceeded(f.run("doSmartScan"));
        ann = MailboxView.of(f.local, a.id());

        // Contents are stored once per digest, so the copy's only new bytes are its journal records.
        vol.fill(0);
        Operation full = f.run("doRestoreOnNewAccount", "ann@full.test", "ann.copy@full.test", "last");
        assertEquals(OperationState.FAILED, full.state(), "a restore that could not write its items");
        String error = full.error().message();
        assertEquals("IO_ERROR", full.error().code(), error);
        assertTrue(error.contains("no space left on device writing " + store), error);
        assertEquals(ann, MailboxView.of(f.local, a.id()), "the source account is untouched");

        vol.release();
        assertSucceeded(f.run("doRestoreOnNewAccount", "ann@full.test", "ann.copy@full.test", "last"));
        Account copy = f.local.account("ann.copy@full.test").orElseThrow();
        assertEquals(ann.items().get("/Inbox"), MailboxView.of(f.local, copy.id()).items().get("/Inbox"));
      }
      // Reopened, as after a restart: the store's journal reads back whole, with both accounts.
      try (RestoreFixture f = new RestoreFixture(dir, store, dir.resolve("backup"))) {
        assertEquals(ann, MailboxView.of(f.local, a.id()));
        Account copy = f.local.account("ann.copy@full.test").orElseThrow();
        assertEquals(ann.items().get("/Inbox"), MailboxView.of(f.local, copy.id()).items().get("/Inbox"));
      }
    }
  }

  /** {@code n} messages of about {@code bytes} each that do not compress much. */
  private void deliver(RestoreFixture f, Account a, int n, int bytes) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] noise = new byte[bytes * 3 / 4];
      random.nextBytes(noise);
      mail.add(("From: sender@full.test\r\nTo: " + a.name() + "\r\nSubject: m" + random.nextInt() + "\r\n\r\n"
          + Base64.getMimeEncoder().encodeToString(noise) + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    f.local.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
  }

  private static String date(Instant t) {
    return io.storefleet.protocol.parse.DateArg.FORMAT.format(t.atZone(java.time.ZoneOffset.UTC).toLocalDateTime())
        + " Z";
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + "\n" + OperationText.stats(op.stats()));
  }
}
