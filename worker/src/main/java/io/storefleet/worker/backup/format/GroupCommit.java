package io.storefleet.worker.backup.format;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Commits the accounts a scan has prepared, many at a time, from a thread of its own: scan threads
 * go on with the next account while the disk works, and a group of accounts costs a few journal
 * commits of the file system instead of several forced writes per account. Each group is written
 * by {@link CommitOrder} (blobs, item states, snapshots; each phase durable for the whole group
 * before the next starts), with its forces run in parallel on a small pool.
 *
 * <p>An account whose commit fails is reported as failed; the others of its group go on. Its
 * history is closed, so the next use reads the files again.
 */
public final class GroupCommit {
  /** The phases of a group commit, in order. */
  enum Phase { BLOBS, STATES, SNAPSHOTS }

  /** Called after each phase of each group with the accounts still in it; tests stop there as a crash would. */
  @FunctionalInterface
  interface PhaseHook {
    PhaseHook NONE = (phase, accounts) -> { };

    void after(Phase phase, List<String> accountIds) throws IOException;
  }

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
  record Limits(int accounts, int states, long waitNanos) {
    static final Limits DEFAULT = new Limits(128, 50_000, 0);
  }
  /**
   * Writes and forces in flight at once: the file system folds concurrent forces into one journal
   * commit, and creating files one by one was a good part of a first scan's time.
   */
  private static final int IO_THREADS = 8;

  private final BackupEngine engine;
  private final CommitOrder order;
  private final Limits limits;
  private final ArrayDeque<AccountCommit> queue = new ArrayDeque<>();
  private final List<Failure> failures = new ArrayList<>();
  private final ExecutorService io;
  private final Thread thread;
  private int uncommitted;
  private long uncommittedStates;
  private long queuedStates;
  private long firstQueuedAt;
  private boolean finishing;

  GroupCommit(BackupEngine engine) {
    this.engine = engine;
    this.limits = engine.groupLimits();
    this.io = Executors.newFixedThreadPool(IO_THREADS, r -> {
      Thread t = new Thread(r, "storefleet-commit-io");
      t.setDaemon(true);
      return t;
    });
    this.order = new CommitOrder(engine, engine.commitHook(), io);
    this.thread = new Thread(this::loop, "storefleet-commit");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands an account's records over. The caller holds the history's monitor; from here until the
   * commit ends the history is in flight, and other writers wait for it.
   */
  public void submit(AccountCommit p) throws InterruptedIOException {
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
      List<AccountCommit> group;
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
          AccountCommit p = queue.poll();
          group.add(p);
          queuedStates -= p.states().size();
        }
        if (!queue.isEmpty()) {
          firstQueuedAt = System.nanoTime();
        }
      }
      List<Failure> failed = new ArrayList<>();
      try {
        failed.addAll(order.commit(group));
      } catch (RuntimeException e) {
        failed.clear();
        for (AccountCommit p : group) {
          failed.add(new Failure(p.accountId(), p.label(), new IOException("commit failed: " + e, e)));
        }
      } finally {
        for (Failure f : failed) {
          engine.forget(f.accountId());
        }
        for (AccountCommit p : group) {
          p.history().endCommit();
        }
        synchronized (this) {
          failures.addAll(failed);
          uncommitted -= group.size();
          for (AccountCommit p : group) {
            uncommittedStates -= p.states().size();
          }
          notifyAll();
        }
      }
    }
  }
}
