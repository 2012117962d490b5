package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.store.Account;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a restore plan in one mailbox and judges it: folders, items, shares, then the
 * verification against the backup. The result is the vendor's stats block (Restored, Skipped,
 * Unrestored items and the unrestored ids with their causes) with a one-line verdict; anything
 * unrestored or not matching the backup ends the operation FAILED, keeping the block.
 */
final class RestoreRun {
  private static final int MISMATCHES_SHOWN = 5;

  private final RestoreContext rc;
  private final OperationContext ctx;
  private final Account target;
  private final String source;
  private final Map<String, Long> counters = new LinkedHashMap<>();
  private String about = "";
  private BackupEngine engine;
  private BlobReader blobs;

  /**
   * @param target the mailbox written into
   * @param source the account whose backup is read, as the unrestored list names it
   */
  RestoreRun(RestoreContext rc, OperationContext ctx, Account target, String source) {
    this.rc = rc;
    this.ctx = ctx;
    this.target = target;
    this.source = source;
    this.engine = rc.backup().engine();
    this.blobs = BlobReader.of(engine);
    counters.put("restored", 0L);
    counters.put("skipped", 0L);
    counters.put("unrestored", 0L);
  }

  /** Says what was restored, e.g. "john@example.com as it was at 01/01/2026 10:00:00", in the verdict. */
  RestoreRun about(String what) {
    this.about = " (" + what + ")";
    return this;
  }

  /** Reads another backup path than the server's own, or its contents from elsewhere ({@code blobs_archive}). */
  RestoreRun readingFrom(BackupEngine engine, BlobReader blobs) {
    this.engine = engine;
    this.blobs = blobs;
    return this;
  }

  /** Adds a counter shown after the three of the vendor's block. */
  RestoreRun count(String name, long value) {
    counters.merge(name, value, Long::sum);
    return this;
  }

  /**
   * @param shares for a new account, the snapshot whose grants and mountpoints are carried over
   *     (see {@link ShareCopier}); null for none
   * @param sourceId the id those shares were made by and for
   */
  OperationStats run(RestorePlan plan, AccountSnapshot shares, String sourceId) {
    RestoreProgress progress = new RestoreProgress(ctx);
    List<String> notHeld = new ArrayList<>();
    TargetFolders folders = new TargetFolders(rc.store(), target.id(), target.name());
    if (!plan.folders().isEmpty()) {
      progress.phase("creating folders", plan.folders().size());
      List<FolderTarget> ordered = new ArrayList<>(plan.folders());
      ordered.sort(Comparator.comparingInt((FolderTarget f) -> f.path().split("/").length)
          .thenComparing(f -> f.path()));
      for (FolderTarget f : ordered) {
        ctx.checkStopped();
        try {
          folders.resolve(f);
        } catch (StorefleetException e) {
          if (!Folder.notHeld(e, f.view())) {
            throw e;
          }
          notHeld.add(f.path());
        }
        progress.item(0);
      }
    }
    progress.phase("restoring items", plan.items().size());
    ContentMatch match = ContentMatch.of(engine, blobs, rc.store());
    ItemWriter writer = new ItemWriter(rc.store(), blobs, target, source, folders, plan.exact(), ctx,
        progress, match);
    writer.write(plan.items());
    List<String> problems = new ArrayList<>();
    ShareCopier copier = null;
    if (shares != null) {
      progress.phase("restoring shares", shares.grants().size() + shares.folders().stream().filter(f -> f.isMountpoint()).count());
      copier = new ShareCopier(rc.store(), rc.remoteShares(), sourceId, target, folders);
      ShareCopier.Outcome o = copier.copy(shares);
      counters.put("sharesGranted", o.grants());
      counters.put("mountpointsRestored", o.mountpoints());
      if (o.alreadyThere() > 0) {
        counters.put("sharesAlreadyThere", o.alreadyThere());
      }
      if (o.unsharedAtSource() > 0) {
        counters.put("mountpointsUnsharedAtSource", o.unsharedAtSource());
      }
      problems.addAll(o.problems());
    }
    long skipped = writer.placed().stream().filter(ItemWriter.Placed::skipped).count();
    counters.put("restored", writer.placed().size() - skipped);
    counters.put("bytesRestored", writer.placed().stream().filter(p -> !p.skipped())
        .mapToLong(p -> p.planned().state().size()).sum());
    counters.put("skipped", skipped);
    counters.put("unrestored", (long) writer.unrestored().size());
    counters.put("foldersCreated", (long) folders.created());
    if (!notHeld.isEmpty()) {
      counters.put("foldersNotHeld", (long) notHeld.size());
    }
    List<String> exactFolders = plan.exact()
        ? plan.folders().stream().map(FolderTarget::path).filter(p -> !notHeld.contains(p)).toList() : List.of();
    RestoreVerifier.Verdict v = new RestoreVerifier(rc.store(), target.id(), match).verify(writer.placed(), exactFolders, progress);
    List<String> mismatches = new ArrayList<>(v.mismatches());
    if (copier != null) {
      mismatches.addAll(copier.verify(shares));
    }
    mismatches.addAll(problems.stream().filter(p -> !mismatches.contains(p)).toList());
    ctx.progress("done", writer.placed().size() + writer.unrestored().size(), plan.items().size(), 0);
    String done = counters.get("restored") + " item(s) restored, " + skipped + " already there";
    if (!mismatches.isEmpty()) {
      String verdict = "Verification FAILED for " + target.name() + about + ": " + shown(mismatches) + " (" + done + ")";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, stats(writer, verdict));
    }
    if (!writer.unrestored().isEmpty()) {
      String verdict = writer.unrestored().size() + " item(s) could not be restored (listed above); " + done
          + ", verified against the backup: " + v.summary();
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, stats(writer, verdict));
    }
    if (plan.items().isEmpty() && plan.folders().isEmpty()) {
      return stats(writer, "Nothing to restore into " + target.name() + about + ": the backup holds no item that"
          + " matches");
    }
    String verdict = "Restore into " + target.name() + about + " verified against the backup: " + v.summary() + " (" + done + ")"
        + (notHeld.isEmpty() ? "" : "; " + notHeld.size() + " folder(s) of a kind the " + rc.store().kind()
            + " store does not hold left out: " + String.join(", ", notHeld))
        + (counters.containsKey("mountpointsUnsharedAtSource")
            ? "; " + counters.get("mountpointsUnsharedAtSource") + " mountpoint(s) restored as they were, whose owner"
                + " no longer shares the folder with the source either" : "");
    return stats(writer, verdict);
  }

  private OperationStats stats(ItemWriter writer, String verdict) {
    return new OperationStats(counters, writer.unrestored(), verdict);
  }

  private static String shown(List<String> all) {
    List<String> some = all.subList(0, Math.min(MISMATCHES_SHOWN, all.size()));
    return String.join("; ", some) + (all.size() > some.size() ? "; and " + (all.size() - some.size()) + " more" : "");
  }
}
