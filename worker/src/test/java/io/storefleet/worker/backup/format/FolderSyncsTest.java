package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.Account;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new account folder is synced by the first commit that relies on it, even when the history
 * that created it was closed in between (the open set is bounded, so a big first scan closes
 * histories whose files it created up front).
 */
class FolderSyncsTest {
  @TempDir Path dir;

  @Test
  void aFolderCreatedByAClosedHistoryIsStillSyncedByTheNextCommit() throws Exception {
    try (BackupEngine engine = BackupEngine.open(BackupPath.open(dir.resolve("backup"), "mbox1"), () -> false)) {
      engine.withHistory("acct-1", h -> {
        h.createFiles();
        return null;
      });
      Path folder = engine.path().accountDir("acct-1").toAbsolutePath();
      engine.forgetHistories();
      assertTrue(engine.unsyncedFolders().pending().contains(folder), engine.unsyncedFolders().pending().toString());
      Account a = new Account("acct-1", "ann@example.com", "example.com", "default", "active", Map.of(), List.of(),
          Instant.EPOCH);
      engine.withHistory("acct-1", h -> {
        engine.commit(AccountCommit.of(h, List.of(),
            new AccountSnapshot(a, List.of(), List.of(), false, null, null, false, 1, Instant.EPOCH)));
        return null;
      });
      assertEquals(List.of(), engine.unsyncedFolders().pending(), "synced before the snapshot was relied on");
    }
  }

  @Test
  void aSyncPlannedBeforeAnotherEntryWasAddedLeavesTheFolderPending() {
    FolderSyncs syncs = new FolderSyncs();
    Path accounts = dir.resolve("accounts");
    syncs.add(accounts);
    Map<Path, Long> planned = syncs.planned();
    // Another writer creates a new account folder while this one's fsync of accounts/ runs.
    syncs.add(accounts);
    syncs.synced(accounts, planned.get(accounts));
    assertEquals(List.of(accounts), syncs.pending(), "the later entry still needs a sync of its own");
    syncs.synced(accounts, syncs.planned().get(accounts));
    assertEquals(List.of(), syncs.pending());
  }
}
