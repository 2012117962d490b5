package io.storefleet.worker.backup.maintenance;

import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.parse.DateText;
import io.storefleet.worker.backup.format.AccountFiles;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ItemStateLine;
import io.storefleet.worker.backup.format.ScanPosition;
import io.storefleet.worker.backup.format.ServerDumps;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationTask;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * doPurge: removes every item whose last state is a deletion older than the retention, accounts
 * deleted (or excluded by their COS) longer ago than that, and the blobs that no remaining state
 * names. A retention of 0 days is infinite: the purge ends at once. Purge is the only operation
 * that deletes from a backup path; it holds the engine's commit lock for writing, so no writer
 * can start naming a blob while it is being removed.
 */
public final class PurgeTask implements OperationTask {
  private final BackupEngine engine;
  private final int retentionDays;
  private final AccountFiles files;

  public PurgeTask(BackupEngine engine, int retentionDays) {
    this.engine = engine;
    this.retentionDays = retentionDays;
    this.files = new AccountFiles(engine);
  }

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    Map<String, Long> c = new LinkedHashMap<>();
    for (String k : List.of("accountsChecked", "accountsPurged", "itemsPurged", "statesRemoved", "blobsRemoved",
        "bytesFreed", "dumpsRemoved")) {
      c.put(k, 0L);
    }
    if (retentionDays == 0) {
      String verdict = "Retention is infinite (0 days): nothing is ever purged.";
      return new OperationStats(c, List.of(), verdict);
    }
    Instant cutoff = ctx.clock().instant().minus(Duration.ofDays(retentionDays));
    engine.commitLock().writeLock().lock();
    try {
      List<String> ids = engine.accountIds();
      Set<String> live = new HashSet<>();
      long n = 0;
      for (String id : ids) {
        ctx.progress("purging accounts", n++, ids.size(), 0, "accounts");
        purgeAccount(id, cutoff, c, live);
      }
      ctx.progress("removing unreferenced blobs", n, ids.size(), 0, "accounts");
      Set<String> dead = new HashSet<>(engine.blobs().committed().keySet());
      dead.removeAll(live);
      c.put("blobsRemoved", (long) dead.size());
      c.put("bytesFreed", dead.isEmpty() ? 0 : engine.blobs().remove(dead));
      c.put("dumpsRemoved", purgeDumps(cutoff));
    } finally {
      engine.commitLock().writeLock().unlock();
    }
    String verdict = "Purged " + c.get("itemsPurged") + " item(s) and " + c.get("accountsPurged")
        + " account(s) deleted before " + DateText.of(cutoff, ctx.clock().getZone()) + " (retention " + retentionDays + " days); removed "
        + c.get("blobsRemoved") + " unreferenced blob(s).";
    return new OperationStats(c, List.of(), verdict);
  }

  private void purgeAccount(String id, Instant cutoff, Map<String, Long> c, Set<String> live) throws IOException {
    engine.forget(id);
    c.merge("accountsChecked", 1L, Long::sum);
    List<String> lines = files.itemRecords(id);
    Map<Integer, ItemState> latest = new HashMap<>();
    // One entry per line: null for a scan position, of which only the last is kept.
    List<ItemState> states = new ArrayList<>(lines.size());
    int lastPosition = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (ScanPosition.is(lines.get(i))) {
        states.add(null);
        lastPosition = i;
        continue;
      }
      ItemState s = ItemStateLine.decode(lines.get(i));
      states.add(s);
      latest.put(s.id(), s);
    }
    Set<Integer> purged = new HashSet<>();
    latest.forEach((itemId, s) -> {
      if (s.deleted() && s.since().isBefore(cutoff)) {
        purged.add(itemId);
      }
    });
    AccountSnapshot last = files.lastSnapshot(id);
    boolean accountGone = last != null && last.deleted() && last.at().isBefore(cutoff)
        && purged.size() == latest.size();
    if (accountGone) {
      files.delete(id);
      c.merge("accountsPurged", 1L, Long::sum);
      c.merge("itemsPurged", (long) purged.size(), Long::sum);
      c.merge("statesRemoved", states.stream().filter(java.util.Objects::nonNull).count(), Long::sum);
      return;
    }
    List<String> kept = new ArrayList<>(lines.size());
    long removed = 0;
    for (int i = 0; i < states.size(); i++) {
      ItemState s = states.get(i);
      if (s == null) {
        if (i == lastPosition) {
          kept.add(lines.get(i));
        }
        continue;
      }
      if (purged.contains(s.id())) {
        removed++;
        continue;
      }
      kept.add(lines.get(i));
      if (s.hasBlob()) {
        live.add(s.digest());
      }
    }
    if (!purged.isEmpty()) {
      files.rewriteItems(id, kept);
      c.merge("itemsPurged", (long) purged.size(), Long::sum);
      c.merge("statesRemoved", removed, Long::sum);
    }
  }

  /** Server dumps older than the retention go too, except the newest of each kind. */
  private long purgeDumps(Instant cutoff) throws IOException {
    long removed = 0;
    ServerDumps dumpFiles = new ServerDumps(engine.path());
    for (String kind : ServerDumps.KINDS) {
      List<ServerDumps.Dump> dumps = dumpFiles.list(kind);
      for (int i = 0; i < dumps.size() - 1; i++) {
        if (dumps.get(i).at().isBefore(cutoff)) {
          dumpFiles.delete(dumps.get(i));
          removed++;
        }
      }
    }
    return removed;
  }
}
