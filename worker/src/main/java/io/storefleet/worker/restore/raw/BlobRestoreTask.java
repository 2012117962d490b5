package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.CorruptBlobException;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationStoppedException;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MissingContent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * doRestoreBlobs: brings back, from a backup path's packs, the contents a volume lacks or holds
 * damaged (after a raw restore, every content). Contents are deduplicated, so the work is one
 * blob per digest, done in chunks by {@code threads} threads, each reading its blobs and writing
 * them to the store; each blob is checked against its digest when read from the backup and again
 * by the store after it is written. A dry run lists and counts and
 * changes nothing. Afterwards every item whose content was restored is read back from the store
 * and checked against its size and digest.
 */
final class BlobRestoreTask implements OperationTask {
  /** Blobs per store commit. */
  static final int CHUNK = 128;

  private final LocalBackup backup;
  private final int volumeId;
  private final String backupPath;
  private final boolean dryRun;
  private final int threads;
  private final String archive;
  private final RemoteCopy remote;

  /** @param archive a {@code blobs_archive} to read the blobs from instead of a backup path, or null */
  BlobRestoreTask(LocalBackup backup, int volumeId, String backupPath, boolean dryRun, int threads, String archive,
      RemoteCopy remote) {
    this.archive = archive;
    this.remote = remote;
    this.backup = backup;
    this.volumeId = volumeId;
    this.backupPath = backupPath;
    this.dryRun = dryRun;
    this.threads = threads;
  }

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    if (archive != null) {
      try (BlobReader blobs = remote.blobs(archive)) {
        return restore(blobs, ctx);
      }
    }
    return backup.onBackupPath(backupPath, "backup_path", engine -> restore(BlobReader.of(engine), ctx));
  }

  private OperationStats restore(BlobReader blobs, OperationContext ctx) {
    MailStore store = backup.store();
    ctx.progress("listing items without content on volume " + volumeId, 0, -1, 0);
    List<MissingContent> missing = store.missingContent(volumeId);
    Map<String, String> names = new HashMap<>();
    for (Account a : store.accounts()) {
      names.put(a.id(), a.name());
    }
    RestoreTally tally = dryRun
        ? new RestoreTally("blobsToRestore", "bytesToRestore", "damaged")
        : new RestoreTally("blobsRestored", "bytesRestored", "damaged");
    // The embedded store has one volume: every item not listed already has its content.
    if (store.volumes().size() == 1) {
      long items = 0;
      for (String accountId : names.keySet()) {
        items += store.itemCount(accountId);
      }
      tally.add("skipped", items - missing.size());
    }
    Map<String, List<MissingContent>> byDigest = new LinkedHashMap<>();
    for (MissingContent m : missing) {
      byDigest.computeIfAbsent(m.digest(), d -> new ArrayList<>()).add(m);
      if (m.damaged()) {
        tally.add("damaged", 1);
      }
    }
    List<String> available = new ArrayList<>();
    for (Map.Entry<String, List<MissingContent>> e : byDigest.entrySet()) {
      if (blobs.has(e.getKey())) {
        available.add(e.getKey());
      } else {
        for (MissingContent m : e.getValue()) {
          tally.failed(names.getOrDefault(m.accountId(), m.accountId()), m.itemId(), "read error: content "
              + m.digest() + " is not in the backup " + blobs.describe()
              + " (recorded in blobless mode, or purged)", 1);
        }
      }
    }
    if (dryRun) {
      return dryRunVerdict(blobs, tally, byDigest, available);
    }
    Set<String> restored = restoreAll(blobs, store, byDigest, available, names, tally, ctx);
    List<String> mismatches = verify(store, byDigest, restored, names, ctx);
    return verdict(blobs, tally, mismatches);
  }

  private OperationStats dryRunVerdict(BlobReader blobs, RestoreTally tally,
      Map<String, List<MissingContent>> byDigest, List<String> available) {
    long bytes = 0;
    long n = 0;
    for (String d : available) {
      bytes += byDigest.get(d).get(0).size();
      n += byDigest.get(d).size();
    }
    tally.add("blobsToRestore", available.size());
    tally.add("bytesToRestore", bytes);
    String verdict = "Dry run, nothing was changed: " + n + " item(s) of volume " + volumeId + " would get their "
        + "content back (" + available.size() + " blob(s), " + bytes + " bytes) from " + blobs.describe()
        + (tally.get("unrestored") > 0 ? "; " + tally.get("unrestored") + " item(s) have no content there (listed)" : "")
        + ". Run it with dryrun false to restore.";
    return tally.stats(verdict);
  }

  private Set<String> restoreAll(BlobReader blobs, MailStore store, Map<String, List<MissingContent>> byDigest,
      List<String> digests, Map<String, String> names, RestoreTally tally, OperationContext ctx) {
    Set<String> restored = ConcurrentHashMap.newKeySet();
    long total = digests.stream().mapToLong(d -> byDigest.get(d).size()).sum();
    ItemProgress progress = new ItemProgress(ctx, "restoring blobs of volume " + volumeId, total);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "storefleet-blob-restore");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int from = 0; from < digests.size(); from += CHUNK) {
        List<String> chunk = digests.subList(from, Math.min(from + CHUNK, digests.size()));
        work.add(pool.submit(() -> {
          ctx.checkStopped();
          Map<String, String> failures = restoreChunk(blobs, store, chunk);
          for (String digest : chunk) {
            List<MissingContent> users = byDigest.get(digest);
            String cause = failures.get(digest);
            if (cause == null) {
              restored.add(digest);
              tally.add("restored", users.size());
              tally.add("blobsRestored", 1);
              tally.add("bytesRestored", users.get(0).size());
            } else {
              for (MissingContent m : users) {
                tally.failed(names.getOrDefault(m.accountId(), m.accountId()), m.itemId(), cause, 1);
              }
            }
            progress.advance("", users.size());
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OperationStoppedException stop) {
        throw stop;
      }
      if (e.getCause() instanceof StorefleetException failed) {
        // The store failed (a server down, quota): the operation fails with its error, to be run again.
        throw failed;
      }
      throw ErrorCode.INTERNAL.exception("blob restore failed: " + e.getCause(), backup.serverId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationStoppedException(ctx.operation().uuid());
    } finally {
      pool.shutdownNow();
    }
    return restored;
  }

  /**
   * Reads a chunk of blobs from the backup and hands them to the store in one commit; returns the
   * cause, in the vendor's words, for each digest that could not be restored.
   */
  private Map<String, String> restoreChunk(BlobReader blobs, MailStore store, List<String> chunk) {
    Map<String, String> failures = new HashMap<>();
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (String digest : chunk) {
      try {
        contents.put(digest, blobs.read(digest));
      } catch (CorruptBlobException e) {
        failures.put(digest, "broken item: the backup's copy is damaged (" + e.getMessage()
            + "); run doCoherencyCheck on " + blobs.describe());
      } catch (IOException e) {
        failures.put(digest, "read error: " + e.getMessage());
      }
    }
    try {
      store.restoreContent(volumeId, contents);
    } catch (StorefleetException refusedChunk) {
      MailboxRestore.requireDefinite(refusedChunk);
      // The store takes a chunk whole or not at all: find the contents it refuses one by one.
      for (Map.Entry<String, byte[]> e : contents.entrySet()) {
        try {
          store.restoreContent(volumeId, Map.of(e.getKey(), e.getValue()));
        } catch (StorefleetException refused) {
          MailboxRestore.requireDefinite(refused);
          failures.put(e.getKey(), "invalid item: the store refused the content: " + refused.getMessage());
        }
      }
    }
    return failures;
  }

  /** Reads every item whose content was restored back from the store. */
  private List<String> verify(MailStore store, Map<String, List<MissingContent>> byDigest, Set<String> restored,
      Map<String, String> names, OperationContext ctx) {
    List<String> mismatches = new ArrayList<>();
    Set<String> stillMissing = new HashSet<>();
    store.missingContent(volumeId).forEach(m -> stillMissing.add(m.accountId() + "/" + m.itemId()));
    long total = restored.stream().mapToLong(d -> byDigest.get(d).size()).sum();
    long done = 0;
    for (String digest : restored) {
      for (MissingContent m : byDigest.get(digest)) {
        ctx.checkStopped();
        ctx.progress("verifying", done++, total, 0);
        String who = "item " + m.itemId() + " of " + names.getOrDefault(m.accountId(), m.accountId());
        if (stillMissing.contains(m.accountId() + "/" + m.itemId())) {
          mismatches.add(who + " still lacks its content");
          continue;
        }
        try {
          byte[] back = store.content(m.accountId(), m.itemId());
          if (back.length != m.size() || !BlobCodec.sha256(back).equals(m.digest())) {
            mismatches.add(who + " reads back as other content");
          }
        } catch (StorefleetException e) {
          mismatches.add(who + " cannot be read back: " + e.getMessage());
        }
      }
    }
    ctx.progress("done", total, total, 0);
    return mismatches;
  }

  private OperationStats verdict(BlobReader blobs, RestoreTally tally, List<String> mismatches) {
    String source = blobs.describe();
    if (!mismatches.isEmpty()) {
      String verdict = "Blob restore of volume " + volumeId + " from " + source + " does not read back right in "
          + mismatches.size() + " place(s): " + String.join("; ", mismatches.subList(0, Math.min(5, mismatches.size())))
          + ". Check the volume's disk and run it again.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, tally.stats(verdict));
    }
    if (!tally.clean()) {
      String verdict = "Blob restore of volume " + volumeId + " from " + source + " is incomplete: "
          + tally.get("unrestored") + " item(s) did not get their content back (listed with the cause); the "
          + tally.get("restored") + " restored one(s) read back intact.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, tally.stats(verdict));
    }
    String verdict = "Blob restore of volume " + volumeId + " from " + source + " verified: " + tally.get("restored")
        + " item(s) got their content back (" + tally.get("blobsRestored") + " blob(s)), each read back with its size"
        + " and SHA-256; " + tally.get("skipped") + " already had it.";
    return tally.stats(verdict);
  }
}
