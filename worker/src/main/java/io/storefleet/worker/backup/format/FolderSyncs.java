package io.storefleet.worker.backup.format;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folders of a backup path that got new entries (a new account folder, a new log) not yet synced.
 * Kept by the engine rather than by the account histories: a history can be closed (the open set
 * is bounded) between creating an account's files and committing its first records, and the sync
 * those records rely on must not be forgotten with it.
 *
 * <p>A folder stays pending until a sync of it has returned, so a writer that finds it pending
 * syncs it itself rather than trusting a sync still under way in another thread. Each addition
 * carries a mark: a sync clears a folder only if no entry was added to it since the sync was
 * planned, because an entry created while another thread's fsync runs may not be covered by it.
 */
final class FolderSyncs {
  private final Map<Path, Long> pending = new LinkedHashMap<>();
  private long additions;

  synchronized void add(Path folder) {
    pending.put(folder, ++additions);
  }

  /** The folders to sync before records in them may be relied on. */
  synchronized List<Path> pending() {
    return List.copyOf(pending.keySet());
  }

  /** The pending folders with the mark of their last addition, to pass to {@link #synced}. */
  synchronized Map<Path, Long> planned() {
    return new LinkedHashMap<>(pending);
  }

  /** A sync planned at {@code mark} returned: the folder is clear unless added to since. */
  synchronized void synced(Path folder, long mark) {
    pending.remove(folder, mark);
  }
}
