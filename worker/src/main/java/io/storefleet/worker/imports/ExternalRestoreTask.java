package io.storefleet.worker.imports;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.export.ExportMarker;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationTask;
import java.util.List;

/**
 * doExternalRestore: imports an export (or another server's backup path) into this server in the
 * manual's three phases. PHASE1 provisions domains, classes of service, lists, accounts and
 * shares, and sends the "PHASE1 Feedback" notice (the accounts are usable from then on); PHASE2
 * restores the items, {@code concurrent_accounts} accounts at a time; PHASE3 the mountpoints.
 * Everything is written to {@code map_<sourceServerId>} as it is created, so importing the same
 * source again imports only what is new and never deletes. At the end what this run created is
 * verified against the source.
 */
final class ExternalRestoreTask implements OperationTask {
  private final LocalBackup b;
  private final ImportOptions opt;
  private final AccountDirectory cluster;
  private final RemoteCopy remote;

  ExternalRestoreTask(LocalBackup b, ImportOptions opt, AccountDirectory cluster, RemoteCopy remote) {
    this.b = b;
    this.opt = opt;
    this.cluster = cluster;
    this.remote = remote;
  }

  @Override
  public OperationStats run(OperationContext ctx) throws Exception {
    ImportProgress progress = new ImportProgress(ctx);
    ImportCounters counters = new ImportCounters();
    progress.phase("PHASE1 reading the source", -1);
    ExportMarker export = ImportSource.check(opt.source(), b.serverId());
    return b.onBackupPath(opt.source().toString(), "source_path", engine -> {
      try (BlobReader blobs = opt.blobsArchive() == null ? BlobReader.of(engine) : remote.blobs(opt.blobsArchive())) {
        return run(new ImportSource(opt.source(), engine, export, blobs), progress, counters, ctx);
      }
    });
  }

  private OperationStats run(ImportSource src, ImportProgress progress, ImportCounters counters, OperationContext ctx)
      throws java.io.IOException {
    ImportOperations.refuseOwnServer(src, opt, b.serverId());
    ctx.notify("doExternalRestore started on " + b.serverId() + " (Operation Started)",
        "Importing " + describe(src) + " into " + b.serverId() + ".");
    ImportSelection sel = ImportSelection.of(src, opt, b.serverId());
    sel.leftOut().forEach(counters::add);
    try (ImportMap map = ImportMapFile.open(b.engine().path().root(), src.serverId())) {
      List<ImportTarget> targets = new ProvisioningPhase(b.store(), b.serverId(), src, sel, opt, map, cluster,
          counters, progress, ctx).run();
      ctx.notify("doExternalRestore on " + b.serverId() + ": PHASE1 Feedback", phase1(src, counters, targets));
      if (!opt.provisioningOnly()) {
        AccountItems items = new AccountItems(b.store(), src, opt, map, counters, progress, ctx);
        new ItemsPhase(items, counters, progress, ctx, opt.concurrentAccounts()).run(targets);
      }
      new MountpointPhase(b.store(), map, counters, progress, ctx).run(targets);
      progress.phase("verifying against the source", targets.size());
      ImportVerifier.Verdict v = new ImportVerifier(b.store(), () -> src.match(b.store())).verify(targets);
      counters.add("foldersVerified", v.folders());
      return verdict(src, counters, targets, v);
    }
  }

  private String describe(ImportSource src) {
    return (src.export() != null ? "the export of " + src.serverId() + " started at " + src.takenAt()
        : "the backup path of " + src.serverId()) + " in " + src.root()
        + (opt.blobsArchive() == null ? "" : ", its contents read from " + src.blobSource());
  }

  private String phase1(ImportSource src, ImportCounters c, List<ImportTarget> targets) {
    return "PHASE1 of the import of " + describe(src) + " is done: " + targets.size() + " account(s) ready ("
        + c.get("accountsCreated") + " created, " + c.get("accountsExisting") + " already here"
        + (c.get("accountsUnrestored") > 0 ? ", " + c.get("accountsUnrestored") + " refused" : "") + "), "
        + c.get("domainsCreated") + " domain(s), " + c.get("cosCreated") + " class(es) of service and "
        + c.get("listsCreated") + " list(s) created, " + c.get("grantsRestored") + " share(s) restored. The accounts"
        + " can be used now; " + (opt.provisioningOnly() ? "no items follow (provisioning_only)."
            : "their items follow (PHASE2), then the mountpoints (PHASE3).");
  }

  private OperationStats verdict(ImportSource src, ImportCounters c, List<ImportTarget> targets,
      ImportVerifier.Verdict v) {
    // Every entry of the unrestored list is in exactly one of the counts named here.
    String what = "External restore of " + describe(src) + ": " + targets.size() + " account(s) ("
        + c.get("accountsCreated") + " created, " + c.get("accountsExisting") + " already here)"
        + (c.get("accountsUnrestored") > 0 ? ", " + c.get("accountsUnrestored") + " account(s) NOT imported" : "")
        + ", " + (opt.provisioningOnly() ? "provisioning only, no items" : c.get(ImportCounters.RESTORED)
            + " item(s) restored, " + c.get(ImportCounters.SKIPPED) + " skipped (already imported), "
            + c.get(ImportCounters.UNRESTORED) + " item(s) unrestored")
        + c.lostBesidesItems()
        + ", " + c.get("mountpointsRestored") + " mountpoint(s) restored";
    if (!v.mismatches().isEmpty()) {
      String verdict = what + ". VERIFICATION FAILED: " + v.mismatches().size() + " of " + v.folders()
          + " folder(s) differ from the source: " + String.join("; ", v.mismatches().subList(0,
              Math.min(5, v.mismatches().size()))) + (v.mismatches().size() > 5 ? "; ..." : "");
      throw new OperationFailure(ErrorCode.CONFLICT, verdict, c.stats(verdict));
    }
    String check = v.folders() == 0 ? "nothing new to verify"
        : "verified " + v.folders() + " folder(s) against the source: counts, sizes and digests match"
            + (v.canonical() ? " in canonical form (the source comes from a store of another kind)" : "");
    if (!c.clean()) {
      String verdict = what + "; " + check + ". Some items or objects were not restored (listed with their causes);"
          + " run the same import again once the cause is fixed: what is already here is skipped.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, c.stats(verdict));
    }
    return c.stats(what + "; " + check + ".");
  }
}
