package io.storefleet.worker.backup.format;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Folders of a backup path that got new entries (a new account folder, a new log) not yet synced.
 * Kept by the engine rather than by the account histories: a history can be closed (the open set
 * is bounded) between creating an account's files and committing its first records, and the sync
 * those records rely on must not be forgotten with it.
 *
 * <p>A folder stays pending until a sync of it has returned, so a writer that finds it pending
 * syncs it itself rather than trusting a sync still under way in another thread.
 */
final class FolderSyncs {
  private final Set<Path> pending = new LinkedHashSet<>();

  synchronized void add(Path folder) {
    pending.add(folder);
  }

  /** The folders to sync before records in them may be relied on; {@link #synced} when done. */
  synchronized List<Path> pending() {
    return List.copyOf(pending);
  }

  synchronized void synced(Collection<Path> folders) {
    pending.removeAll(folders);
  }
}
