package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.format.GroupCommit.Failure;
import io.storefleet.worker.backup.format.GroupCommit.Phase;
import io.storefleet.worker.backup.format.GroupCommit.PhaseHook;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * The one place that writes account records: commits {@link AccountCommit}s in the three phases
 * of docs/backup-format.md, "Commit order", each phase starting after the previous one is durable
 * for every account given. A scan's {@link GroupCommit} passes many accounts and a pool that
 * forces their logs in parallel; {@link BackupEngine#commit} passes one account and runs every
 * write and force on the caller's thread, which costs the same {@code fsync}s as before groups
 * existed: the pack and index when blobs are pending, {@code items.log} when there are states,
 * {@code account.log} when there is a snapshot, and each folder with a new entry.
 *
 * <ol>
 *   <li>{@link Phase#BLOBS}: {@link BlobPacks#sync}, the pack forced, then the index records
 *       appended and forced. Every blob a state names was put before its commit was built.
 *   <li>{@link Phase#STATES}: every account's item states written (a new account's folder and
 *       logs created first), then every {@code items.log} and every folder with a new entry
 *       forced. An account whose new snapshot would say the same as its last one apart from
 *       position and date gets a {@link ScanPosition} after its states in the same write instead,
 *       and is committed when its {@code items.log} is forced.
 *   <li>{@link Phase#SNAPSHOTS}: the other accounts' snapshots written, then their
 *       {@code account.log}s forced.
 * </ol>
 *
 * <p>An account whose phase fails is left out of the later phases and reported as failed; the
 * others go on. A failure of the blobs, or of a folder sync, fails every account.
 */
final class CommitOrder {
  private final BackupEngine engine;
  private final PhaseHook hook;
  private final Executor io;

  CommitOrder(BackupEngine engine, PhaseHook hook, Executor io) {
    this.engine = engine;
    this.hook = hook;
    this.io = io;
  }

  /** Commits the accounts; returns those that failed, each with what failed it. */
  List<Failure> commit(List<AccountCommit> group) {
    List<Failure> failed = new ArrayList<>();
    Map<String, AccountCommit> live = new LinkedHashMap<>();
    group.forEach(p -> live.put(p.accountId(), p));
    try {
      engine.blobs().sync();
      hook.after(Phase.BLOBS, List.copyOf(live.keySet()));
    } catch (IOException e) {
      group.forEach(p -> failed.add(new Failure(p.accountId(), p.label(), e)));
      return failed;
    }
    // Phase 2: states. Folders with new entries are synced here, before any snapshot relies on them.
    // A new account's folder and both logs are created here, in parallel (creating files is slow
    // when done one by one), so that the folder syncs of this phase cover account.log's entry too.
    // An account whose snapshot would say nothing new gets a scan position after its states
    // instead, and is committed by this phase alone.
    Map<String, ScanPosition> positions = new HashMap<>();
    List<Task> writes = new ArrayList<>();
    for (AccountCommit p : List.copyOf(live.values())) {
      ScanPosition position;
      try {
        position = positionInstead(p);
      } catch (RuntimeException e) {
        fail(live, p, new IOException("cannot read the last snapshot of " + p.label() + ": " + e.getMessage(), e), failed);
        continue;
      }
      if (position != null) {
        positions.put(p.accountId(), position);
      }
      IoAction write = () -> {
        p.history().createFiles();
        p.history().writeItems(p.states(), position);
      };
      if (p.history().hasFiles()) {
        // Writing to an open log takes microseconds: handing it to another thread costs more.
        try {
          write.run();
        } catch (IOException e) {
          fail(live, p, e, failed);
        }
      } else {
        writes.add(new Task(p, write));
      }
    }
    runAll(writes, live, failed);
    List<Task> forces = new ArrayList<>();
    for (AccountCommit p : live.values()) {
      if (!p.states().isEmpty() || positions.containsKey(p.accountId())) {
        forces.add(new Task(p, () -> p.history().forceItems()));
      }
    }
    // Every folder with a new entry, these accounts' or not (syncing more is harmless). A folder
    // failing its sync fails every account, and stays pending for the next commit.
    FolderSyncs syncs = engine.unsyncedFolders();
    for (Map.Entry<Path, Long> dir : syncs.planned().entrySet()) {
      forces.add(new Task(null, () -> {
        AppendLog.syncDirectory(dir.getKey());
        syncs.synced(dir.getKey(), dir.getValue());
      }));
    }
    if (!runAll(forces, live, failed) || !afterPhase(Phase.STATES, live, failed)) {
      return failed;
    }
    // Phase 3: snapshots, written on this thread (the logs are open), forced in parallel.
    forces.clear();
    for (AccountCommit p : List.copyOf(live.values())) {
      if (p.snapshot() == null || positions.containsKey(p.accountId())) {
        continue;
      }
      try {
        p.history().writeSnapshot(p.snapshot());
        forces.add(new Task(p, () -> p.history().forceSnapshots()));
      } catch (IOException e) {
        fail(live, p, e, failed);
      }
    }
    if (runAll(forces, live, failed)) {
      afterPhase(Phase.SNAPSHOTS, live, failed);
    }
    return failed;
  }

  /**
   * The scan position to record instead of the account's snapshot, or null: only when a last
   * snapshot exists and the new one says the same apart from its position and date.
   */
  private static ScanPosition positionInstead(AccountCommit p) {
    AccountSnapshot next = p.snapshot();
    if (next == null) {
      return null;
    }
    AccountSnapshot last = p.history().lastSnapshot();
    if (last == null || !next.sameAs(last) || next.withoutContent() != last.withoutContent() || next.seq() <= last.seq()) {
      return null;
    }
    return new ScanPosition(next.seq(), next.at());
  }

  private boolean afterPhase(Phase phase, Map<String, AccountCommit> live, List<Failure> failed) {
    try {
      hook.after(phase, List.copyOf(live.keySet()));
      return true;
    } catch (IOException e) {
      for (AccountCommit p : List.copyOf(live.values())) {
        fail(live, p, e, failed);
      }
      return false;
    }
  }

  private static void fail(Map<String, AccountCommit> live, AccountCommit p, IOException e, List<Failure> failed) {
    live.remove(p.accountId());
    failed.add(new Failure(p.accountId(), p.label(), e));
  }

  /** A write or force of one account's log, or (account null) of a folder every account needs. */
  private record Task(AccountCommit account, IoAction action) {}

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** Runs the tasks on the executor; false when a group-wide one failed (then every account failed). */
  private boolean runAll(List<Task> tasks, Map<String, AccountCommit> live, List<Failure> failed) {
    List<FutureTask<Void>> futures = new ArrayList<>(tasks.size());
    for (Task t : tasks) {
      FutureTask<Void> f = new FutureTask<>(() -> {
        t.action().run();
        return null;
      });
      futures.add(f);
      io.execute(f);
    }
    IOException groupWide = null;
    for (int i = 0; i < tasks.size(); i++) {
      IOException error = null;
      try {
        futures.get(i).get();
      } catch (ExecutionException e) {
        error = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (InterruptedException e) {
        // The committer thread is never interrupted on purpose; treat it as a failed force.
        error = new InterruptedIOException("interrupted while forcing");
      }
      if (error == null) {
        continue;
      }
      AccountCommit p = tasks.get(i).account();
      if (p == null) {
        groupWide = error;
      } else if (live.containsKey(p.accountId())) {
        fail(live, p, error, failed);
      }
    }
    if (groupWide != null) {
      for (AccountCommit p : List.copyOf(live.values())) {
        fail(live, p, groupWide, failed);
      }
      return false;
    }
    return true;
  }
}
