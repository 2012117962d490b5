package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ItemState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the worker's backup path says about ids, read only through the backup format's reader:
 * the items of an account as last recorded, to give messages their ids back when the worker's id
 * map is lost, and the highest store journal position the backup names, so that a lost journal
 * continues above it (the real-time scanner skips positions it has recorded).
 */
public final class BackupIds {
  /** No backup: ids and journal positions are the worker's own. */
  public static final BackupIds NONE = new BackupIds(null, 0);

  private final BackupEngine engine;
  private final long realtimePosition;

  /**
   * @param engine the worker's own backup path
   * @param realtimePosition the real-time scanner's position on it
   */
  public BackupIds(BackupEngine engine, long realtimePosition) {
    this.engine = engine;
    this.realtimePosition = realtimePosition;
  }

  /**
   * Rebuilds what the worker's disk lost: a missing worker-kept directory is rebuilt with its ids
   * ({@link BackupDirectory}; empty on a first start, when the backup records nothing), an empty
   * (lost) journal continues above every position the backup names, and an account's lost id map
   * gives its messages their backed-up ids.
   */
  void recover(ImapJournal journal, AccountSessions sessions, KeptDirectory kept) {
    if (kept.missing()) {
      KeptDirectory.State empty = new KeptDirectory.State(null, null, null, null, null);
      kept.settle(engine == null ? empty : BackupDirectory.read(engine, kept).orElse(empty));
    }
    if (journal.lastSequence() == 0) {
      journal.continueAbove(highestSequence());
    }
    sessions.rebuildLostMapsFrom(this);
  }

  /** The account's items that were present in their last recorded state (none if the backup does not know it). */
  List<BackedUpItem> liveItems(String accountId) {
    if (engine == null || !engine.knows(accountId)) {
      return List.of();
    }
    Map<Integer, ItemState> last = new LinkedHashMap<>();
    try {
      new BackupHistoryReader(engine).itemStates(accountId).forEach(s -> last.put(s.id(), s));
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot read the item states of account " + accountId + " in the backup path "
          + engine.path().root() + " to rebuild its id map: " + e.getMessage());
    }
    List<BackedUpItem> out = new ArrayList<>();
    last.values().stream().filter(s -> !s.deleted()).forEach(s -> out.add(new BackedUpItem(s.id(), s.folderId(),
        s.digest(), s.flags(), s.tags(), s.seq(), s.since())));
    return out;
  }

  /**
   * The highest store journal position the backup names: the real-time scanner's and every
   * account's recorded states, scan positions and snapshots. Reads every account's items log: only asked
   * when the store's journal is empty.
   */
  long highestSequence() {
    if (engine == null) {
      return realtimePosition;
    }
    long highest = realtimePosition;
    try {
      BackupHistoryReader reader = new BackupHistoryReader(engine);
      for (String id : engine.accountIds()) {
        BackupHistoryReader.ItemsLog log = reader.items(id);
        for (ItemState s : log.states()) {
          highest = Math.max(highest, s.seq());
        }
        for (BackupHistoryReader.Recorded r : log.positions()) {
          highest = Math.max(highest, r.seq());
        }
        for (var snapshot : reader.snapshots(id)) {
          highest = Math.max(highest, snapshot.seq());
        }
      }
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot read the backup path " + engine.path().root()
          + " to continue the imap store's lost journal above it: " + e.getMessage());
    }
    return highest;
  }
}
