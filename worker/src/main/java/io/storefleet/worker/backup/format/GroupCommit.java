package io.storefleet.worker.backup.format;

import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Commits the accounts a scan has prepared, many at a time, from a thread of its own: scan threads
 * go on with the next account while the disk works, and a group of accounts costs a few journal
 * commits of the file system instead of several forced writes per account.
 *
 * <p>A group is committed in three phases; each one starts after the previous one is durable for
 * every account of the group, which keeps the order of docs/backup-format.md, "Commit order":
 *
 * <ol>
 *   <li>{@link Phase#BLOBS}: {@link BlobPacks#sync}, the pack forced, then the index records
 *       appended and forced. Every blob a state of the group names was put before its account was
 *       handed over, so this commit includes it.
 *   <li>{@link Phase#STATES}: every account's item states written (a new account's folder and
 *       logs created first, in parallel), then every {@code items.log} of the group and every
 *       folder with a new entry forced in parallel. An account whose new snapshot would say the
 *       same as its last one apart from position and date gets a {@link ScanPosition} after its
 *       states in the same write instead, and is committed when its {@code items.log} is forced.
 *   <li>{@link Phase#SNAPSHOTS}: the other accounts' snapshots written, then their
 *       {@code account.log}s forced, in parallel. Such an account is committed when its
 *       {@code account.log} is forced.
 * </ol>
 *
 * <p>An account whose phase fails is left out of the later phases and reported as failed; the
 * others of its group go on. Its history is closed, so the next use reads the files again.
 */
public final class GroupCommit {
  /** The phases of a group commit, in order. */
  public enum Phase { BLOBS, STATES, SNAPSHOTS }

  /** Called after each phase of each group with the accounts still in it; tests stop there as a crash would. */
  @FunctionalInterface
  public interface PhaseHook {
    PhaseHook NONE = (phase, accounts) -> { };

    void after(Phase phase, List<String> accountIds) throws IOException;
  }

  /** One account's records, ready to be committed; {@code snapshot} may be null (states only). */
  public record Prepared(String accountId, String label, AccountHistory history, List<ItemState> states,
      AccountSnapshot snapshot) {}

  /** An account whose commit failed: nothing after the failed phase was written for it. */
  public record Failure(String accountId, String label, IOException error) {}

  /**
   * When a group closes: when it has {@code accounts} accounts or {@code states} item states, when
   * its first account has waited {@code waitNanos}, or when the scan is finishing. By default a
   * group is whatever was handed over while the previous one was committed (no wait): measured on
   * the benchmark, waiting 20 ms for larger groups made neither the full nor the incremental scan
   * faster. Scan threads wait while twice a group is handed over and not committed, which bounds
   * the memory the prepared states take.
   */
  public record Limits(int accounts, int states, long waitNanos) {
    public static final Limits DEFAULT = new Limits(128, 50_000, 0);
  }
  /**
   * Writes and forces in flight at once: the file system folds concurrent forces into one journal
   * commit, and creating files one by one was a good part of a first scan's time.
   */
  private static final int IO_THREADS = 8;

  private final BackupEngine engine;
  private final PhaseHook hook;
  private final Limits limits;
  private final ArrayDeque<Prepared> queue = new ArrayDeque<>();
  private final List<Failure> failures = new ArrayList<>();
  private final ExecutorService io;
  private final Thread thread;
  private int uncommitted;
  private long uncommittedStates;
  private long queuedStates;
  private long firstQueuedAt;
  private boolean finishing;

  public GroupCommit(BackupEngine engine) {
    this.engine = engine;
    this.hook = engine.commitHook();
    this.limits = engine.groupLimits();
    this.io = Executors.newFixedThreadPool(IO_THREADS, r -> {
      Thread t = new Thread(r, "storefleet-commit-io");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "storefleet-commit");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands an account's records over. The caller holds the history's monitor; from here until the
   * commit ends the history is in flight, and other writers wait for it.
   */
  public void submit(Prepared p) throws InterruptedIOException {
    synchronized (this) {
      while ((uncommitted >= 2 * limits.accounts() || uncommittedStates >= 2L * limits.states()) && !finishing) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to hand over account " + p.label());
        }
      }
      if (finishing) {
        throw new IllegalStateException("group commit already finished");
      }
      p.history().beginCommit();
      boolean first = queue.isEmpty();
      if (first) {
        firstQueuedAt = System.nanoTime();
      }
      queue.add(p);
      uncommitted++;
      uncommittedStates += p.states().size();
      queuedStates += p.states().size();
      // The first account starts the group's clock; a full group is committed at once.
      if (first || queue.size() >= limits.accounts() || queuedStates >= limits.states()) {
        notifyAll();
      }
    }
  }

  /**
   * Commits everything handed over, stops the thread and returns the accounts that failed. Waits
   * even when interrupted: a history must not stay in flight, nor the commit lock be let go of,
   * while its records are being written.
   */
  public List<Failure> finish() {
    boolean interrupted = false;
    synchronized (this) {
      finishing = true;
      notifyAll();
      while (uncommitted > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    io.shutdown();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      return List.copyOf(failures);
    }
  }

  private boolean groupReady() {
    if (finishing) {
      return true;
    }
    return !queue.isEmpty() && (queue.size() >= limits.accounts() || queuedStates >= limits.states()
        || System.nanoTime() - firstQueuedAt >= limits.waitNanos());
  }

  private void loop() {
    while (true) {
      List<Prepared> group;
      synchronized (this) {
        while (!groupReady()) {
          try {
            if (queue.isEmpty()) {
              wait();
            } else {
              long left = limits.waitNanos() - (System.nanoTime() - firstQueuedAt);
              if (left > 0) {
                wait(left / 1_000_000 + 1);
              }
            }
          } catch (InterruptedException e) {
            // Only finish() ends the loop: handed-over accounts are always committed or failed.
          }
        }
        if (queue.isEmpty()) {
          notifyAll();
          return;
        }
        group = new ArrayList<>();
        while (!queue.isEmpty() && group.size() < limits.accounts()) {
          Prepared p = queue.poll();
          group.add(p);
          queuedStates -= p.states().size();
        }
        if (!queue.isEmpty()) {
          firstQueuedAt = System.nanoTime();
        }
      }
      List<Failure> failed = new ArrayList<>();
      try {
        commit(group, failed);
      } catch (RuntimeException e) {
        failed.clear();
        for (Prepared p : group) {
          failed.add(new Failure(p.accountId(), p.label(), new IOException("commit failed: " + e, e)));
        }
      } finally {
        for (Failure f : failed) {
          engine.forget(f.accountId());
        }
        for (Prepared p : group) {
          p.history().endCommit();
        }
        synchronized (this) {
          failures.addAll(failed);
          uncommitted -= group.size();
          for (Prepared p : group) {
            uncommittedStates -= p.states().size();
          }
          notifyAll();
        }
      }
    }
  }

  private void commit(List<Prepared> group, List<Failure> failed) {
    Map<String, Prepared> live = new LinkedHashMap<>();
    group.forEach(p -> live.put(p.accountId(), p));
    try {
      engine.blobs().sync();
      hook.after(Phase.BLOBS, List.copyOf(live.keySet()));
    } catch (IOException e) {
      group.forEach(p -> failed.add(new Failure(p.accountId(), p.label(), e)));
      return;
    }
    // Phase 2: states. Folders with new entries are synced here, before any snapshot relies on them.
    // A new account's folder and both logs are created here, in parallel (creating files is slow
    // when done one by one), so that the folder syncs of this phase cover account.log's entry too.
    // An account whose snapshot would say nothing new gets a scan position after its states
    // instead, and is committed by this phase alone.
    Map<String, ScanPosition> positions = new HashMap<>();
    List<Task> writes = new ArrayList<>();
    for (Prepared p : List.copyOf(live.values())) {
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
    for (Prepared p : live.values()) {
      if (!p.states().isEmpty() || positions.containsKey(p.accountId())) {
        forces.add(new Task(p, () -> p.history().forceItems()));
      }
    }
    // Every folder with a new entry, this group's or not (syncing more is harmless). A folder
    // failing its sync fails the whole group, and stays pending for the next commit.
    FolderSyncs syncs = engine.unsyncedFolders();
    for (Path dir : syncs.pending()) {
      forces.add(new Task(null, () -> {
        AppendLog.syncDirectory(dir);
        syncs.synced(List.of(dir));
      }));
    }
    if (!runAll(forces, live, failed) || !afterPhase(Phase.STATES, live, failed)) {
      return;
    }
    // Phase 3: snapshots, written on this thread (the logs are open), forced in parallel.
    forces.clear();
    for (Prepared p : List.copyOf(live.values())) {
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
  }

  /**
   * The scan position to record instead of the account's snapshot, or null: only when a last
   * snapshot exists and the new one says the same apart from its position and date.
   */
  private static ScanPosition positionInstead(Prepared p) {
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

  private boolean afterPhase(Phase phase, Map<String, Prepared> live, List<Failure> failed) {
    try {
      hook.after(phase, List.copyOf(live.keySet()));
      return true;
    } catch (IOException e) {
      for (Prepared p : List.copyOf(live.values())) {
        fail(live, p, e, failed);
      }
      return false;
    }
  }

  private static void fail(Map<String, Prepared> live, Prepared p, IOException e, List<Failure> failed) {
    live.remove(p.accountId());
    failed.add(new Failure(p.accountId(), p.label(), e));
  }

  /** A force of one account's log, or (account null) of a folder the whole group needs. */
  private record Task(Prepared account, IoAction action) {}

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** Runs the forces in parallel; false when a group-wide one failed (then every account failed). */
  private boolean runAll(List<Task> tasks, Map<String, Prepared> live, List<Failure> failed) {
    List<Future<?>> futures = new ArrayList<>(tasks.size());
    for (Task t : tasks) {
      futures.add(io.submit(() -> {
        t.action().run();
        return null;
      }));
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
      Prepared p = tasks.get(i).account();
      if (p == null) {
        groupWide = error;
      } else if (live.containsKey(p.accountId())) {
        fail(live, p, error, failed);
      }
    }
    if (groupWide != null) {
      for (Prepared p : List.copyOf(live.values())) {
        fail(live, p, groupWide, failed);
      }
      return false;
    }
    return true;
  }
}
