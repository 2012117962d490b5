package io.storefleet.worker.backup.command;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.maintenance.CoherencyCheckTask;
import io.storefleet.worker.backup.maintenance.PurgeTask;
import io.storefleet.worker.backup.scan.ScanTask;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.store.Account;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The queued backup operations: scans, purge, coherency check and the server-level dumps. */
public final class BackupOperations {
  private BackupOperations() {}

  /** Registers the backup operations; {@code remote}'s upload follows every SmartScan and AccountScan. */
  public static void register(CommandRegistry registry, BackupContext b, RemoteCopy remote) {
    registry.queued(BackupCommand.DO_SMART_SCAN, QueuedCommand.of(cmd -> {
      refuseUnbuilt(cmd, b.serverId());
      remote.validateUpload(cmd, b.serverId());
    }, cmd -> ctx -> {
      if (b.realtime() != null && b.realtime().running()) {
        // What the scanner has already recorded keeps its split-second dates; the scan then
        // finds only what the journal cannot tell.
        b.realtime().catchUp();
      }
      return remote.afterScan(cmd, scan(b, null, cmd.bool("deep")).run(ctx), ctx);
    }));
    registry.queued(BackupCommand.DO_ACCOUNT_SCAN, QueuedCommand.of(cmd -> {
      refuseUnbuilt(cmd, b.serverId());
      remote.validateUpload(cmd, b.serverId());
      String name = cmd.required("account");
      if (b.store().account(name).isEmpty()) {
        throw ErrorCode.UNKNOWN_ACCOUNT.exception("account " + name + " is not on server " + b.serverId(), b.serverId());
      }
    }, cmd -> ctx -> remote.afterScan(cmd, scan(b, cmd.required("account"), cmd.bool("deep")).run(ctx), ctx)));
    registry.queued(BackupCommand.DO_PURGE, QueuedCommand.of(cmd -> {
      retention(cmd, b);
      if (cmd.has("backup_path")) {
        b.paths().check(cmd.string("backup_path"), "backup_path");
      }
    }, cmd -> ctx -> b.onBackupPathForWriting(cmd.string("backup_path"), "backup_path",
        e -> new PurgeTask(e, retention(cmd, b)).run(ctx))));
    registry.queued(BackupCommand.DO_COHERENCY_CHECK, QueuedCommand.of(cmd -> {
      b.paths().check(cmd.required("backup_path"), "backup_path");
      if (cmd.bool("checkZimbra")) {
        throw ErrorCode.NOT_IMPLEMENTED.exception(
            "doCoherencyCheck parameter checkZimbra true is not implemented in this version; leave it false",
            b.serverId());
      }
      if (!"skip".equals(cmd.string("fixDoubleGzip"))) {
        throw ErrorCode.BAD_VALUE.exception("fixDoubleGzip applies to gzip blobs; storefleet stores zstd, so only"
            + " 'skip' is meaningful", b.serverId());
      }
      if (cmd.bool("remote")) {
        if (cmd.bool("fixBackup") || accountIds(cmd, b) != null) {
          throw ErrorCode.BAD_VALUE.exception("doCoherencyCheck remote true checks the whole off-site copy and fixes"
              + " nothing; leave out fixBackup and accounts (a damaged copy is mended by uploading again)", b.serverId());
        }
        remote.validateCheck(b.serverId());
      }
    }, cmd -> ctx -> cmd.bool("remote")
        ? remote.check(b.onBackupPath(cmd.required("backup_path"), "backup_path", e -> e.path().serverId()), ctx)
        : b.onBackupPathForWriting(cmd.required("backup_path"), "backup_path",
            e -> new CoherencyCheckTask(e, accountIds(cmd, b), cmd.bool("fixBackup")).run(ctx))));
    ServerDumpOperations.register(registry, b);
  }

  /**
   * The scan doSmartScan (account null) or doAccountScan runs; restores run the same account scan
   * before they read an account the backup cannot vouch for.
   */
  public static ScanTask scan(BackupContext b, String account, boolean deep) {
    return new ScanTask(b.store(), b.engine(), account, deep, account == null ? b.serverConfig() : null,
        what -> b.submitter().submit(BackupCommand.DO_COHERENCY_CHECK, Map.of("backup_path", b.engine().path().root().toString())));
  }

  private static int retention(ParsedCommand cmd, BackupContext b) {
    if (!cmd.has("purgeDays")) {
      return b.retentionDays().getAsInt();
    }
    String v = cmd.string("purgeDays").trim();
    try {
      int d = Integer.parseInt(v);
      if (d >= 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ErrorCode.BAD_VALUE.exception(
        "doPurge purgeDays '" + v + "' is not a number of days; give 0 (infinite retention) or more", b.serverId());
  }

  private static Set<String> accountIds(ParsedCommand cmd, BackupContext b) {
    List<String> given = cmd.list("accounts");
    if (given.isEmpty() || given.contains("all")) {
      return null;
    }
    Set<String> ids = new HashSet<>();
    for (String g : given) {
      ids.add(b.store().account(g).map(Account::id).orElse(g));
    }
    return ids;
  }

  /**
   * Parameters the catalogue knows but this version does not act on are refused, not ignored:
   * a scan that silently ignored a read error threshold it was asked for would report a success it
   * did not achieve.
   */
  public static void refuseUnbuilt(ParsedCommand cmd, String serverId) {
    for (String p : List.of("read_error_threshold")) {
      if (cmd.has(p)) {
        throw ErrorCode.NOT_IMPLEMENTED.exception(
            cmd.name() + " parameter " + p + " is not implemented in this version; run it without " + p, serverId);
      }
    }
    for (String p : List.of("create_fake_blob")) {
      if (cmd.bool(p)) {
        throw ErrorCode.NOT_IMPLEMENTED.exception(
            cmd.name() + " parameter " + p + " true is not implemented in this version; leave it false", serverId);
      }
    }
  }

  static OperationStats stats(String verdict, Map<String, Long> counters) {
    return new OperationStats(new LinkedHashMap<>(counters), List.of(), verdict);
  }

  static long size(Path p) throws IOException {
    return Files.exists(p) ? Files.size(p) : 0;
  }
}
