package io.storefleet.worker.backup.format;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * An account's logs as whole files, for the writers that take records away (purge, a coherency
 * fix) under the engine's commit lock, write side: nothing else is writing then, and the engine's
 * open histories are closed first, so that their next use reads what is written here.
 */
public final class AccountFiles {
  private final BackupEngine engine;

  public AccountFiles(BackupEngine engine) {
    this.engine = engine;
  }

  /** Every record of the account's {@code items.log} (states and scan positions), its torn tail cut. */
  public List<String> itemRecords(String accountId) throws IOException {
    Path file = engine.path().itemsLog(accountId);
    if (!Files.exists(file)) {
      return List.of();
    }
    try (AppendLog log = AppendLog.open(file)) {
      return log.recovered();
    }
  }

  /** The account's last snapshot, or null. */
  public AccountSnapshot lastSnapshot(String accountId) throws IOException {
    Path file = engine.path().accountLog(accountId);
    if (!Files.exists(file)) {
      return null;
    }
    try (AppendLog log = AppendLog.open(file)) {
      List<String> r = log.recovered();
      return r.isEmpty() ? null : Json.decode(r.get(r.size() - 1), AccountSnapshot.class);
    }
  }

  /** Replaces the account's {@code items.log} with {@code records} ({@code AppendLog.rewrite}). */
  public void rewriteItems(String accountId, List<String> records) throws IOException {
    engine.forget(accountId);
    AppendLog.rewrite(engine.path().itemsLog(accountId), records);
  }

  /**
   * Replaces a damaged log of the path with its good records, keeping a copy of the damaged file
   * in {@code quarantine} first.
   */
  public static void rewriteDamaged(Path log, List<String> records, Quarantine quarantine, String why)
      throws IOException {
    quarantine.copy(log, why);
    AppendLog.rewrite(log, records);
  }

  /** Deletes the account's folder: files, then the folder, then a sync of {@code accounts/}. */
  public void delete(String accountId) throws IOException {
    engine.forget(accountId);
    deleteTree(engine.path().accountDir(accountId));
  }

  /** Deletes a folder and everything in it, then syncs its parent. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    AppendLog.syncDirectory(dir.getParent());
  }
}
