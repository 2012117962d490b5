package io.storefleet.worker.backup;

import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This server's mail store and its own backup path, and the rule for reaching another backup path
 * an operator names: what imports, exports and restores share with the backup commands.
 *
 * @param serverId this server
 * @param store its mail store
 * @param engine its own backup path, open
 * @param paths the roots operator-given paths must be in
 */
public record LocalBackup(String serverId, MailStore store, BackupEngine engine, PathPolicy paths) {

  /** Work on a backup path: this server's own engine, or one opened for the call and closed after. */
  @FunctionalInterface
  public interface EngineWork<T> {
    T run(BackupEngine engine) throws IOException;
  }

  /**
   * Runs {@code work} on the backup path an operator named ({@code null} or the server's own path
   * means the open engine). Another path must be inside the allowed roots and already hold a
   * storefleet backup.
   */
  public <T> T onBackupPath(String given, String param, EngineWork<T> work) throws IOException {
    return onBackupPath(given, param, false, work);
  }

  /** Like {@link #onBackupPath(String, String, EngineWork)}, for work that changes the path (purge, fix). */
  public <T> T onBackupPathForWriting(String given, String param, EngineWork<T> work) throws IOException {
    return onBackupPath(given, param, true, work);
  }

  private <T> T onBackupPath(String given, String param, boolean writes, EngineWork<T> work) throws IOException {
    if (given == null || given.isBlank()) {
      return work.run(engine);
    }
    Path p = paths.check(given, param);
    // Compared as real paths: the live path reached through a link must not get a second engine,
    // whose opening would cut the live writer's uncommitted pack bytes.
    if (Files.exists(p) && p.toRealPath().equals(engine.path().root().toRealPath())) {
      return work.run(engine);
    }
    BackupPath path = writes ? BackupPath.openExisting(p, serverId) : BackupPath.openExistingForReading(p, serverId);
    try (BackupEngine other = writes ? BackupEngine.open(path, () -> true) : BackupEngine.openForReading(path, () -> true)) {
      return work.run(other);
    }
  }
}
