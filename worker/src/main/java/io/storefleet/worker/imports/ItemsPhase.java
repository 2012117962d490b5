package io.storefleet.worker.imports;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationStoppedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** PHASE2: the items of every account, {@code concurrent_accounts} accounts at a time. */
final class ItemsPhase {
  private final AccountItems items;
  private final ImportCounters counters;
  private final ImportProgress progress;
  private final OperationContext ctx;
  private final int threads;

  ItemsPhase(AccountItems items, ImportCounters counters, ImportProgress progress, OperationContext ctx, int threads) {
    this.items = items;
    this.counters = counters;
    this.progress = progress;
    this.ctx = ctx;
    this.threads = threads;
  }

  void run(List<ImportTarget> targets) throws IOException {
    List<List<ItemState>> wanted = new ArrayList<>();
    long total = 0;
    for (ImportTarget t : targets) {
      List<ItemState> w = items.wanted(t);
      wanted.add(w);
      total += w.size();
    }
    progress.phase("PHASE2 items", total);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, "storefleet-import");
      th.setDaemon(true);
      return th;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        ImportTarget t = targets.get(i);
        List<ItemState> w = wanted.get(i);
        futures.add(pool.submit(() -> {
          items.run(t, w);
          return null;
        }));
      }
      // Every account is waited for: interrupting a thread in the middle of a store write would
      // close the store's files under it. A stop reaches each of them through the stop flag.
      RuntimeException first = null;
      for (int i = 0; i < futures.size(); i++) {
        try {
          futures.get(i).get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof OperationStoppedException
              || (cause instanceof RuntimeException && !(cause instanceof StorefleetException))) {
            first = first != null ? first : (RuntimeException) cause;
          } else {
            // One account's failure (its source logs, the map, the store) leaves the others to finish.
            counters.itemsNotImported(targets.get(i).name(), wanted.get(i).size(),
                "items not imported: " + cause.getMessage());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          first = first != null ? first : new OperationStoppedException(ctx.operation().uuid());
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdown();
    }
  }
}
