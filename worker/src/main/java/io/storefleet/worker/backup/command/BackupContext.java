package io.storefleet.worker.backup.command;

import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.service.Submitter;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the backup commands of one worker share; other packages take only the parts they use
 * ({@link LocalBackup}, the clock, the real-time scanner).
 *
 * @param local this server's store and backup path
 * @param clock the injected clock
 * @param retentionDays the configured retention (ZxBackup_DataRetentionDays)
 * @param submitter queues an operation on this server (e.g. the coherency check a scan asks for)
 * @param realtime the real-time scanner, drained before a SmartScan when it runs
 * @param serverConfig the configuration a SmartScan records
 * @param clusterState what doBackupCluster dumps
 * @param customizationFiles the files doBackupServerCustomizations keeps
 */
public record BackupContext(
    LocalBackup local,
    Clock clock,
    IntSupplier retentionDays,
    Submitter submitter,
    RealtimeScanner realtime,
    Supplier<ServerConfigSnapshot> serverConfig,
    Supplier<Object> clusterState,
    List<Path> customizationFiles) {

  String serverId() {
    return local.serverId();
  }

  MailStore store() {
    return local.store();
  }

  BackupEngine engine() {
    return local.engine();
  }

  PathPolicy paths() {
    return local.paths();
  }

  <T> T onBackupPath(String given, String param, LocalBackup.EngineWork<T> work) throws IOException {
    return local.onBackupPath(given, param, work);
  }

  <T> T onBackupPathForWriting(String given, String param, LocalBackup.EngineWork<T> work) throws IOException {
    return local.onBackupPathForWriting(given, param, work);
  }
}
