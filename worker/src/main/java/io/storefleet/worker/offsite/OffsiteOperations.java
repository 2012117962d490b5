package io.storefleet.worker.offsite;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.backup.format.BlobReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The off-site copy's commands: the upload after every scan, {@code doCoherencyCheck remote
 * true}, and {@code doFetchRemoteBackup}, the first step of a disaster recovery from the bucket
 * (then {@code doRawRestore} and {@code doRestoreBlobs} on the fetched path, docs/operations.md).
 */
public final class OffsiteOperations implements RemoteCopy {
  private final LocalBackup local;
  private final OffsiteCopy copy;

  public OffsiteOperations(LocalBackup local, OffsiteCopy copy) {
    this.local = local;
    this.copy = copy;
  }

  public void register(CommandRegistry registry) {
    registry.queued(BackupCommand.DO_FETCH_REMOTE_BACKUP, new QueuedCommand() {
      @Override
      public void validate(ParsedCommand cmd) {
        local.paths().check(cmd.required("destination_path"), "destination_path");
        server(cmd);
        snapshot(cmd);
        copy.checkConfigured();
      }

      @Override
      public OperationTask task(ParsedCommand cmd, Operation op) {
        return ctx -> fetch(cmd, ctx);
      }
    });
    registerPrune(registry);
  }

  private void registerPrune(CommandRegistry registry) {
    registry.queued(BackupCommand.DO_PRUNE_REMOTE_BACKUP, new QueuedCommand() {
      @Override
      public void validate(ParsedCommand cmd) {
        keep(cmd);
        copy.checkPruneConfigured();
      }

      @Override
      public OperationTask task(ParsedCommand cmd, Operation op) {
        return ctx -> prune(cmd, ctx);
      }
    });
  }

  private OperationStats prune(ParsedCommand cmd, OperationContext ctx) throws Exception {
    boolean dryRun = cmd.bool("dryrun");
    OffsiteCopy.Pruned p = copy.prune(local.engine(), keep(cmd), dryRun, ctx);
    RemotePrune.Report r = p.prune();
    Map<String, Long> c = new LinkedHashMap<>(dryRun ? Map.of() : p.upload().counters());
    c.putAll(r.counters());
    return new OperationStats(c, List.of(), (dryRun ? "dry run, nothing sent or deleted, counted against snapshot "
        + r.counted() + " as it is (a real prune uploads the path first): would keep " : "kept ")
        + r.snapshotsKept() + " snapshot(s) (the newest is " + r.snapshot() + ") and " + r.packsKept() + " packs, "
        + (dryRun ? "delete " : "deleted ") + r.snapshotsDeleted() + " snapshot(s), " + r.metadataDeleted()
        + " metadata objects and " + r.packsDeleted() + " packs with their indexes; " + r.partlyUsedPacks()
        + " packs kept whole hold " + r.deadBytesKept() + " bytes of blobs the backup path no longer has");
  }

  /** How many snapshots to keep: at least the one the prune writes. */
  private int keep(ParsedCommand cmd) {
    long n = cmd.integer("keep_snapshots", 1);
    if (n < 1 || n > 10_000) {
      throw io.storefleet.protocol.error.ErrorCode.BAD_VALUE.exception("doPruneRemoteBackup keep_snapshots " + n
          + " is out of range; give 1 (only the newest, which holds the purge retention's history) to 10000",
          local.serverId());
    }
    return (int) n;
  }

  private OperationStats fetch(ParsedCommand cmd, OperationContext ctx) throws Exception {
    Path dest = local.paths().check(cmd.required("destination_path"), "destination_path");
    String server = server(cmd);
    boolean metadataOnly = cmd.bool("metadata_only");
    OffsiteRead.Report r = copy.fetch(server, snapshot(cmd), metadataOnly, dest, ctx);
    Map<String, Long> c = counters(r);
    if (metadataOnly) {
      return new OperationStats(c, List.of(), "fetched the metadata of " + server + "'s backup path as of snapshot "
          + r.snapshot() + " of " + r.snapshotAt() + " into " + dest + ": " + r.files() + " files, every object"
          + " authenticated and checked, no blobs (they stay in the bucket); next: doRawRestore " + dest
          + ", then doRestoreBlobs with blobs_archive remote:" + server + ". Do not use " + dest + " as a backup path"
          + " of its own: its blobs are not in it");
    }
    return new OperationStats(c, List.of(), "fetched " + server + "'s backup path as of snapshot " + r.snapshot()
        + " of " + r.snapshotAt() + " into "
        + dest + ": " + r.files() + " files, " + r.blobs() + " blobs in " + r.packs() + " packs, every object"
        + " authenticated and every blob checked; next: doRawRestore " + dest + ", then doRestoreBlobs with"
        + " backup_path " + dest);
  }

  /** Which snapshot: a number that doCoherencyCheck remote true lists, or null for the newest. */
  private Long snapshot(ParsedCommand cmd) {
    if (!cmd.has("snapshot")) {
      return null;
    }
    long n = cmd.integer("snapshot", 0);
    if (n < 1) {
      throw io.storefleet.protocol.error.ErrorCode.BAD_VALUE.exception("doFetchRemoteBackup snapshot " + n
          + " is not a snapshot number; give one that doCoherencyCheck remote true lists (1 is the first)",
          local.serverId());
    }
    return n;
  }

  /** Whose copy: a server id, which names a folder under the prefix and so may not hold a '/'. */
  private String server(ParsedCommand cmd) {
    String server = cmd.has("server") ? cmd.string("server").strip() : local.serverId();
    if (!server.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw io.storefleet.protocol.error.ErrorCode.BAD_VALUE.exception("doFetchRemoteBackup server '" + server
          + "' is not a server id; give the lost server's id, e.g. mbox1", local.serverId());
    }
    return server;
  }

  @Override
  public void validateUpload(ParsedCommand cmd, String serverId) {
    if (cmd.bool("remote_metadata_upload")) {
      copy.checkConfigured();
    }
  }

  @Override
  public OperationStats afterScan(ParsedCommand cmd, OperationStats scan, OperationContext ctx) throws Exception {
    if (copy.volume() == null && !cmd.bool("remote_metadata_upload")) {
      return scan;
    }
    UploadReport r;
    try {
      r = copy.upload(local.engine(), cmd.bool("remote_take_over"), ctx);
    } catch (StorefleetException e) {
      // The scan itself succeeded: its figures stay in the record next to the upload's error.
      String verdict = (scan.verdict() == null ? "" : scan.verdict() + "; ") + "off-site upload failed: "
          + e.getMessage();
      throw new OperationFailure(e.code(), e.getMessage(), new OperationStats(scan.counters(), scan.unrestored(),
          verdict));
    }
    Map<String, Long> c = new LinkedHashMap<>(scan.counters());
    c.putAll(r.counters());
    String verdict = (scan.verdict() == null ? "" : scan.verdict() + "; ") + "off-site copy up to date: "
        + r.packs() + " packs (" + r.blobs() + " blobs) and " + r.metadataFiles() + " metadata files ("
        + r.deltas() + " as the tail they grew by) in " + r.metadata() + " metadata objects uploaded, "
        + r.objectsSkipped() + " found there already, " + r.readBack() + " read back and checked";
    return new OperationStats(c, scan.unrestored(), verdict);
  }

  @Override
  public void validateArchive(String archive, String serverId) {
    archiveServer(archive);
    copy.checkConfigured();
  }

  @Override
  public BlobReader blobs(String archive) throws IOException {
    return copy.blobs(archiveServer(archive));
  }

  /** The server whose copy a blobs_archive names: {@code remote} (this one) or {@code remote:<server>}. */
  private String archiveServer(String archive) {
    String a = archive.strip();
    String server = a.equals("remote") ? local.serverId() : a.startsWith("remote:") ? a.substring(7) : null;
    if (server == null || !server.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw io.storefleet.protocol.error.ErrorCode.BAD_VALUE.exception("blobs_archive '" + archive + "' names no"
          + " blob source; give remote (this server's off-site copy) or remote:<server> (e.g. remote:mbox1, a lost"
          + " server's)", local.serverId());
    }
    return server;
  }

  @Override
  public void validateCheck(String serverId) {
    copy.checkConfigured();
  }

  @Override
  public OperationStats check(String serverId, OperationContext ctx) throws Exception {
    OffsiteRead.Report r = copy.check(serverId, ctx);
    StringBuilder list = new StringBuilder();
    for (CopyReader.Snapshot s : copy.snapshots(serverId)) {
      list.append(list.length() == 0 ? "" : "; ").append(s.manifest().number()).append(" at ").append(s.manifest().at())
          .append(" of ").append(s.manifest().describePath());
    }
    return new OperationStats(counters(r), List.of(), "off-site copy of " + serverId + " as of snapshot "
        + r.snapshot() + " of " + r.snapshotAt() + " is whole: " + r.files() + " metadata files and " + r.packs()
        + " packs (" + r.blobs() + " blobs) authenticated and checked. Snapshots (doFetchRemoteBackup snapshot N): "
        + list);
  }

  @Override
  public Map<String, Object> describe() {
    RemoteVolume v = copy.volume();
    return v == null ? null : v.describe();
  }

  private static Map<String, Long> counters(OffsiteRead.Report r) {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("files", r.files());
    c.put("packs", r.packs());
    c.put("blobs", r.blobs());
    c.put("bytesRead", r.bytes());
    return c;
  }
}
