package io.storefleet.worker.backup.maintenance;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.AccountCommit;
import io.storefleet.worker.backup.format.AccountFiles;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.DictionaryUnavailableException;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ItemStateLine;
import io.storefleet.worker.backup.format.Quarantine;
import io.storefleet.worker.backup.format.ScanPosition;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * doCoherencyCheck: reads every metadata record and every blob of a backup path and checks that
 * each frame is whole, each blob decompresses to the content its digest names, and each item
 * state's blob is there. With {@code fixBackup} it moves corrupt and orphaned files into the
 * quarantine folder, rewrites damaged logs with their good records (the original is kept in
 * quarantine), takes corrupt blobs out of the index, and marks the accounts that lost a blob so
 * that the next SmartScan copies it again from the store.
 */
public final class CoherencyCheckTask implements OperationTask {
  private final BackupEngine engine;
  private final Set<String> onlyAccounts;
  private final boolean fix;

  /** @param onlyAccounts account ids to check, or null for all (and the blob store) */
  public CoherencyCheckTask(BackupEngine engine, Set<String> onlyAccounts, boolean fix) {
    this.engine = engine;
    this.onlyAccounts = onlyAccounts;
    this.fix = fix;
  }

  /** One problem found. */
  record Problem(String where, String what) {}

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    Instant now = ctx.clock().instant();
    BackupPath path = engine.path();
    Quarantine q = new Quarantine(path, now);
    List<Problem> problems = new ArrayList<>();
    Map<String, Long> c = new LinkedHashMap<>();
    List<Unrestored> perAccount = new ArrayList<>();
    engine.commitLock().writeLock().lock();
    try {
      engine.forgetHistories();
      engine.blobs().sync();
      Map<String, BlobPacks.Location> index = engine.blobs().committed();
      Map<String, String> corrupt = checkBlobs(ctx, index, problems, c);
      checkPackFiles(index, problems, q);
      Set<String> referenced = new HashSet<>();
      List<String> ids = onlyAccounts == null ? engine.accountIds()
          : engine.accountIds().stream().filter(onlyAccounts::contains).toList();
      Set<String> lostBlobs = new HashSet<>();
      long done = 0;
      for (String id : ids) {
        ctx.checkStopped();
        ctx.progress("checking accounts", done++, ids.size(), 0, "accounts");
        int before = problems.size();
        checkAccount(id, index, corrupt, referenced, lostBlobs, problems, q, c);
        int found = problems.size() - before;
        if (found > 0) {
          perAccount.add(new Unrestored(id, 0, found + " problem(s): "
              + problems.subList(before, problems.size()).stream().map(Problem::what).reduce((a, b) -> a + "; " + b)
                  .orElse("")));
        }
      }
      if (onlyAccounts == null) {
        long unreferenced = index.keySet().stream().filter(d -> !referenced.contains(d)).count();
        c.put("blobsUnreferenced", unreferenced);
      }
      if (fix) {
        // Marked first: a kill after the blobs are gone must not leave an account that a scan skips.
        for (String id : lostBlobs) {
          markUncertain(id, now);
        }
      }
      if (fix && !corrupt.isEmpty() && onlyAccounts == null) {
        for (String d : corrupt.keySet()) {
          BlobPacks.Location l = index.get(d);
          try {
            q.write("blobs/corrupt/" + d + "." + l.pack() + "@" + l.offset(), engine.blobs().readStored(l),
                corrupt.get(d));
          } catch (IOException unreadable) {
            q.note("blobs/corrupt/" + d + " (" + corrupt.get(d) + "; nothing readable to keep)");
          }
        }
        engine.blobs().remove(corrupt.keySet());
      } else if (fix && !corrupt.isEmpty()) {
        problems.add(new Problem("blobs", corrupt.size() + " corrupt blob(s) left in place: other accounts may"
            + " name them; run the check without 'accounts' to quarantine them"));
      }
    } finally {
      engine.forgetHistories();
      engine.commitLock().writeLock().unlock();
    }
    c.put("problems", (long) problems.size());
    c.put("filesQuarantined", (long) q.moved().size());
    StringBuilder v = new StringBuilder();
    if (problems.isEmpty()) {
      v.append("Backup path ").append(path.root()).append(" is coherent: ").append(c.get("blobsChecked"))
          .append(" blob(s) and ").append(c.getOrDefault("recordsChecked", 0L)).append(" record(s) checked.");
      return new OperationStats(c, List.of(), v.toString());
    }
    v.append(problems.size()).append(" problem(s) in ").append(path.root()).append(":");
    for (Problem p : problems) {
      v.append("\n  ").append(p.where()).append(": ").append(p.what());
    }
    if (fix) {
      v.append("\nMoved into ").append(q.dir()).append(":");
      q.moved().forEach(m -> v.append("\n  ").append(m));
      v.append("\nAccounts that lost a blob or item records are marked for rescan; run doSmartScan to copy their"
          + " items again.");
      return new OperationStats(c, perAccount, v.toString());
    }
    v.append("\nRun doCoherencyCheck again with fixBackup true to move them into quarantine.");
    throw new OperationFailure(ErrorCode.BACKUP_DAMAGED, v.toString(), new OperationStats(c, perAccount, v.toString()));
  }

  private Map<String, String> checkBlobs(OperationContext ctx, Map<String, BlobPacks.Location> index,
      List<Problem> problems, Map<String, Long> c) {
    Map<String, String> corrupt = new HashMap<>();
    // A blob whose dictionary is missing or damaged may be sound: it is reported, never removed.
    Map<Long, Long> needDictionary = new java.util.TreeMap<>();
    Map<Long, String> dictionaryProblem = new HashMap<>();
    engine.blobs().unusableDictionaries().forEach((name, why) ->
        problems.add(new Problem("blobs/dictionaries/" + name, why)));
    long n = 0;
    long bytes = 0;
    for (Map.Entry<String, BlobPacks.Location> e : index.entrySet()) {
      ctx.checkStopped();
      if (++n % 256 == 0) {
        ctx.progress("checking blobs", n, index.size(), bytes, "blobs");
      }
      try {
        byte[] stored = engine.blobs().readStored(e.getValue());
        bytes += stored.length;
        engine.blobs().decode(e.getKey(), e.getValue(), stored);
      } catch (DictionaryUnavailableException ex) {
        needDictionary.merge(ex.dictionaryId(), 1L, Long::sum);
        dictionaryProblem.putIfAbsent(ex.dictionaryId(), ex.getMessage());
      } catch (IOException ex) {
        corrupt.put(e.getKey(), ex.getMessage());
        problems.add(new Problem("blob " + e.getKey(), ex.getMessage()));
      }
    }
    needDictionary.forEach((id, count) -> problems.add(new Problem("blobs/dictionaries",
        count + " blob(s) cannot be read: " + dictionaryProblem.get(id) + ". They are left in place; restore the"
            + " dictionary file from a copy of the backup path")));
    c.put("blobsChecked", n);
    c.put("blobsCorrupt", (long) corrupt.size());
    return corrupt;
  }

  private void checkPackFiles(Map<String, BlobPacks.Location> index, List<Problem> problems, Quarantine q)
      throws IOException {
    Set<String> used = new HashSet<>();
    index.values().forEach(l -> used.add(l.pack()));
    Path dir = engine.path().packsDir();
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (var s = Files.list(dir)) {
      files = s.toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".pack") && used.contains(name)) {
        continue;
      }
      if (name.endsWith(".pack") && Files.size(f) == 0) {
        continue; // the pack being written, still empty
      }
      problems.add(new Problem("blobs/packs/" + name, "orphaned file: no indexed blob is in it"));
      if (fix) {
        q.move(f, "orphaned pack");
      }
    }
  }

  private void checkAccount(String id, Map<String, BlobPacks.Location> index, Map<String, String> corrupt,
      Set<String> referenced, Set<String> lostBlobs, List<Problem> problems, Quarantine q, Map<String, Long> c)
      throws IOException {
    Path dir = engine.path().accountDir(id);
    try (var s = Files.list(dir)) {
      for (Path f : s.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("items.log") && !name.equals("account.log")) {
          problems.add(new Problem("accounts/" + id + "/" + name, "orphaned file"));
          if (fix) {
            q.move(f, "orphaned file");
          }
        }
      }
    }
    int before = problems.size();
    List<String> itemRecords = checkLog(id, engine.path().itemsLog(id), problems, q, c);
    if (fix && problems.size() > before) {
      // Its rewritten items.log may lack states that its snapshot or a scan position vouches for.
      lostBlobs.add(id);
    }
    checkLog(id, engine.path().accountLog(id), problems, q, c);
    for (String line : itemRecords) {
      ItemState s;
      try {
        if (ScanPosition.is(line)) {
          ScanPosition.decode(line);
          continue;
        }
        s = ItemStateLine.decode(line);
      } catch (RuntimeException e) {
        problems.add(new Problem("accounts/" + id + "/items.log", "record does not decode: " + e.getMessage()));
        continue;
      }
      if (!s.hasBlob()) {
        continue;
      }
      referenced.add(s.digest());
      if (!index.containsKey(s.digest())) {
        problems.add(new Problem("accounts/" + id, "item " + s.id() + " (state seq " + s.seq() + ") names blob "
            + s.digest() + ", which is not in the backup"));
        lostBlobs.add(id);
      } else if (corrupt.containsKey(s.digest())) {
        lostBlobs.add(id);
      }
    }
  }

  /** Checks one log's frames; with fix, keeps a copy in quarantine and rewrites it with its good records. */
  private List<String> checkLog(String id, Path file, List<Problem> problems, Quarantine q, Map<String, Long> c)
      throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    AppendLog.Inspection in = AppendLog.inspect(file);
    c.merge("recordsChecked", (long) in.records().size(), Long::sum);
    String where = "accounts/" + id + "/" + file.getFileName();
    if (!in.damagedAt().isEmpty()) {
      problems.add(new Problem(where, in.damagedAt().size() + " damaged record(s) at byte(s) " + in.damagedAt()));
    }
    if (in.tornTailBytes() > 0) {
      problems.add(new Problem(where, "truncated record: " + in.tornTailBytes() + " byte(s) after the last whole record"));
    }
    if (fix && !in.clean()) {
      AccountFiles.rewriteDamaged(file, in.records(), q, in.damagedAt().isEmpty() ? "truncated record"
          : "damaged records");
    }
    return in.records();
  }

  private void markUncertain(String id, Instant now) throws IOException {
    engine.withHistory(id, h -> {
      AccountSnapshot last = h.lastSnapshot();
      if (last != null) {
        engine.commit(AccountCommit.of(h, List.of(),
            last.withUncertain("a coherency fix removed damaged records or blobs", last.seq(), now)));
      }
      return null;
    });
  }
}
