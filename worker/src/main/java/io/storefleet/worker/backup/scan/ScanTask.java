package io.storefleet.worker.backup.scan;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.AccountCommit;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.GroupCommit;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationStoppedException;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.ScanView;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * SmartScan (every account) and AccountScan (one account). Accounts unchanged since their last
 * scan are skipped unless {@code deep}; the others are compared item by item with a snapshot of
 * the store and get a new state for every created, changed or deleted item. A SmartScan also
 * records provisioning and server configuration, and marks accounts gone from the store.
 *
 * <p>Accounts are scanned in parallel and committed in groups by a {@link GroupCommit} (blobs,
 * then item states, then account snapshots, each phase durable for the whole group before the
 * next starts), so a scan killed half way leaves the accounts whose snapshots were forced
 * committed and the others as they were, and the next scan picks them up. The commit lock's read
 * side is held from the first account until the last commit has ended, so that purge never
 * removes a blob that a handed-over commit is about to name.
 */
public final class ScanTask implements OperationTask {
  /** Called with the reason when a scan meets damage in the backup path. */
  @FunctionalInterface
  public interface CorruptionHandler {
    void corruptionFound(String what);
  }

  private final MailStore store;
  private final BackupEngine engine;
  private final String onlyAccount;
  private final boolean deep;
  private final Supplier<ServerConfigSnapshot> serverConfig;
  private final CorruptionHandler onCorruption;
  private final int threads;

  /**
   * @param onlyAccount the account to scan, or null for every account (SmartScan)
   * @param serverConfig the configuration a SmartScan records, or null to record none
   */
  public ScanTask(MailStore store, BackupEngine engine, String onlyAccount, boolean deep,
      Supplier<ServerConfigSnapshot> serverConfig, CorruptionHandler onCorruption) {
    this.store = store;
    this.engine = engine;
    this.onlyAccount = onlyAccount;
    this.deep = deep;
    this.serverConfig = serverConfig;
    this.onCorruption = onCorruption;
    this.threads = ScanThreads.of(store.scanView());
  }

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    ScanView view = store.scanView();
    Runnable end = onlyAccount == null ? view.begin() : () -> { };
    try (ScanProgress progress = new ScanProgress(ctx)) {
      return run(ctx, progress, view);
    } finally {
      end.run();
    }
  }

  private OperationStats run(OperationContext ctx, ScanProgress progress, ScanView view) throws IOException {
    ctx.progress("reading provisioning", 0, -1, 0);
    boolean smart = onlyAccount == null;
    if (smart) {
      recordServerLevel(ctx.clock().instant());
    }
    List<Account> accounts = new ArrayList<>();
    if (smart) {
      accounts.addAll(store.accounts());
    } else {
      accounts.add(store.account(onlyAccount).orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception(
          "account " + onlyAccount + " no longer exists on this server")));
    }
    // Counted once: the total for progress, and what a skipped account adds to it.
    Map<String, Integer> itemCounts = new java.util.HashMap<>();
    long total = 0;
    for (Account a : accounts) {
      int n = view.itemCount(a.id());
      itemCounts.put(a.id(), n);
      total += n;
    }
    Set<String> disabledCos = CosBackupMarker.disabledNames(store);
    Thread created = createNewAccountFiles(accounts, disabledCos);
    new DictionaryTraining(store, view, engine, threads).trainIfNone(ctx, accounts, itemCounts, disabledCos);
    joinQuietly(created);
    progress.total(total);
    List<AccountScan.Outcome> outcomes = new ArrayList<>();
    ScanFailures failures = new ScanFailures();
    long accountsDeleted = 0;
    engine.commitLock().readLock().lock();
    try {
      GroupCommit commits = engine.groupCommit();
      try {
        scanAll(ctx, accounts, itemCounts, disabledCos, new AccountScan(store, view, engine, deep, ctx, progress, commits),
            outcomes, failures);
      } finally {
        // Every handed-over account is committed or failed before the lock is let go of.
        List<GroupCommit.Failure> failed = commits.finish();
        Set<String> failedIds = new HashSet<>();
        for (GroupCommit.Failure f : failed) {
          failedIds.add(f.accountId());
          failures.add(f.label(), f.error());
        }
        outcomes.removeIf(o -> o.accountId() != null && failedIds.contains(o.accountId()));
      }
      if (smart) {
        accountsDeleted = markGoneAccounts(accounts, ctx.clock().instant());
      }
    } finally {
      engine.commitLock().readLock().unlock();
    }
    OperationStats stats = verdict(progress, outcomes, failures, accountsDeleted);
    if (smart) {
      // Only a clean scan counts as getBackupInfo's last SmartScan; a failed one threw above.
      engine.appendServerRecord(engine.path().scanLog(),
          Map.of("at", ctx.clock().instant().toString(), "seq", store.lastSequence(), "operation", ctx.operation().uuid()));
    }
    return stats;
  }

  private void scanAll(OperationContext ctx, List<Account> accounts, Map<String, Integer> itemCounts,
      Set<String> disabledCos, AccountScan scan, List<AccountScan.Outcome> outcomes, ScanFailures failures)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "storefleet-scan");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<AccountScan.Outcome>> futures = new ArrayList<>();
      for (Account a : accounts) {
        boolean excluded = disabledCos.contains(a.cos().toLowerCase(Locale.ROOT));
        futures.add(pool.submit(() -> scan.scan(a, excluded, itemCounts.get(a.id()))));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          outcomes.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof OperationStoppedException stop) {
            throw stop;
          }
          if (cause instanceof IOException io) {
            failures.add(accounts.get(i).name(), io);
            continue;
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IOException(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OperationStoppedException(ctx.operation().uuid());
        }
      }
    } finally {
      pool.shutdownNow();
      // No scan thread may still be handing accounts over when the group commit finishes.
      boolean interrupted = false;
      while (true) {
        try {
          if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Creates the folder and logs of every account the backup does not have yet, in parallel and
   * while the dictionary is trained: file creation is slow here, and slower still while the group
   * commit forces other files. They are synced by the next commit, whichever history makes it
   * (the engine's {@code FolderSyncs}). Failures are left to the scan, which meets them again.
   *
   * @return the thread creating them, or null when every account has its files
   */
  private Thread createNewAccountFiles(List<Account> accounts, Set<String> disabledCos) {
    List<Callable<Void>> work = new ArrayList<>();
    for (Account a : accounts) {
      if (disabledCos.contains(a.cos().toLowerCase(Locale.ROOT)) || engine.knows(a.id())) {
        continue;
      }
      work.add(() -> {
        try {
          engine.withHistory(a.id(), h -> {
            h.createFiles();
            return null;
          });
        } catch (IOException e) {
          // The account's scan meets the same problem and reports it.
        }
        return null;
      });
    }
    if (work.isEmpty()) {
      return null;
    }
    Thread t = new Thread(() -> {
      ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS, r -> {
        Thread c = new Thread(r, "storefleet-scan-create");
        c.setDaemon(true);
        return c;
      });
      try {
        pool.invokeAll(work);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        pool.shutdownNow();
      }
    }, "storefleet-scan-create");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static final int CREATE_THREADS = 8;

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (t != null && t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void recordServerLevel(Instant now) throws IOException {
    long seq = store.lastSequence();
    engine.appendIfChanged(engine.path().provisioningLog(),
        new ProvisioningSnapshot(store.domains(), store.coses(), store.distributionLists(), seq, now),
        ProvisioningSnapshot.class, ProvisioningSnapshot::sameAs);
    if (serverConfig != null) {
      engine.appendIfChanged(engine.path().configLog(), serverConfig.get(),
          ServerConfigSnapshot.class, ServerConfigSnapshot::sameAs);
    }
  }

  /** Records accounts that the backup has but the store no longer has as deleted, items and all. */
  private long markGoneAccounts(List<Account> live, Instant now) throws IOException {
    Set<String> liveIds = new HashSet<>();
    live.forEach(a -> liveIds.add(a.id()));
    long seq = store.lastSequence();
    long n = 0;
    for (String id : engine.accountIdsOtherThan(liveIds)) {
      n += engine.withHistory(id, h -> {
        AccountSnapshot last = h.lastSnapshot();
        if (last == null || (last.deleted() && last.excluded() == null)) {
          return 0;
        }
        List<ItemState> gone = new ArrayList<>();
        for (ItemState s : h.latestStates()) {
          if (!s.deleted()) {
            gone.add(s.asDeleted(seq, now));
          }
        }
        engine.commit(AccountCommit.of(h, gone, new AccountSnapshot(last.account(), last.folders(), last.grants(),
            true, null, null, last.withoutContent(), seq, now)));
        return 1;
      });
    }
    return n;
  }

  private OperationStats verdict(ScanProgress p, List<AccountScan.Outcome> outcomes, ScanFailures failures,
      long accountsDeleted) {
    Map<String, Long> c = new LinkedHashMap<>();
    List<Unrestored> unreadable = new ArrayList<>();
    String[] keys = {"accountsScanned", "accountsSkipped", "accountsExcluded", "itemsNew", "itemsChanged",
        "itemsDeleted", "itemsUnchanged", "blobsWritten", "bytesRead", "bytesStored"};
    for (String k : keys) {
      c.put(k, 0L);
    }
    for (AccountScan.Outcome o : outcomes) {
      o.counters().forEach((k, v) -> c.merge(k, v, Long::sum));
      unreadable.addAll(o.unreadable());
    }
    c.put("accountsDeleted", accountsDeleted);
    failures.count(c);
    c.put("itemsUnreadable", (long) unreadable.size());
    p.done();
    String full = failures.noSpaceVerdict();
    if (full != null) {
      throw new OperationFailure(ErrorCode.IO_ERROR, full, new OperationStats(c, unreadable, full));
    }
    List<String> damaged = failures.damaged;
    if (!damaged.isEmpty()) {
      String what = damaged.size() + " account(s) have damaged backup metadata: " + String.join("; ", damaged);
      onCorruption.corruptionFound(what);
      String verdict = what + ". A coherency check was started; the other accounts are backed up.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, new OperationStats(c, unreadable, verdict));
    }
    if (!unreadable.isEmpty()) {
      // The first cause is told: it names what failed (a mail server that went away names itself).
      Unrestored first = unreadable.get(0);
      String verdict = unreadable.size() + " item(s) could not be read and are not in the backup (the first, item "
          + first.itemId() + " of " + first.account() + ": " + first.cause() + "); every other item is. The next"
          + " scan tries them again.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, new OperationStats(c, unreadable, verdict));
    }
    String verdict = "Backup up to date: " + c.get("accountsScanned") + " account(s) scanned, "
        + c.get("accountsSkipped") + " unchanged, "
        + (c.get("itemsNew") + c.get("itemsChanged") + c.get("itemsDeleted")) + " item state(s) recorded.";
    return new OperationStats(c, List.of(), verdict);
  }
}
