package io.storefleet.worker.backup.command;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.worker.backup.format.ServerDumps;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** doBackupLDAP, doBackupServerCustomizations and doBackupCluster: whole-state dumps of the server. */
final class ServerDumpOperations {
  private ServerDumpOperations() {}

  static void register(CommandRegistry registry, BackupContext b) {
    ServerDumps dumps = new ServerDumps(b.engine().path());
    registry.queued(BackupCommand.DO_BACKUP_LDAP, QueuedCommand.of(cmd -> { }, cmd -> ctx -> {
      MailStore s = b.store();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("server", b.serverId());
      d.put("seq", s.lastSequence());
      d.put("domains", s.domains());
      d.put("coses", s.coses());
      d.put("distributionLists", s.distributionLists());
      d.put("accounts", s.accounts());
      ServerDumps.Dump dump = dumps.write("ldap", d, ctx.clock().instant());
      return BackupOperations.stats("Provisioning dumped to " + dump.file() + ": " + s.domains().size()
          + " domain(s), " + s.coses().size() + " COS, " + s.accounts().size() + " account(s), "
          + s.distributionLists().size() + " list(s).", Map.of("accounts", (long) s.accounts().size(),
          "bytesWritten", dump.size()));
    }));
    registry.queued(BackupCommand.DO_BACKUP_SERVER_CUSTOMIZATIONS, QueuedCommand.of(cmd -> { },
        cmd -> ctx -> {
          Map<String, String> files = new LinkedHashMap<>();
          for (Path f : b.customizationFiles()) {
            if (Files.isRegularFile(f)) {
              files.put(f.toAbsolutePath().toString(), readText(f));
            }
          }
          ServerDumps.Dump dump = dumps.write("customizations", Map.of("server", b.serverId(), "files", files),
              ctx.clock().instant());
          return BackupOperations.stats("Kept " + files.size() + " configuration file(s) in " + dump.file() + ".",
              Map.of("files", (long) files.size(), "bytesWritten", dump.size()));
        }));
    registry.queued(BackupCommand.DO_BACKUP_CLUSTER, QueuedCommand.of(cmd -> { }, cmd -> ctx -> {
      ServerDumps.Dump dump = dumps.write("cluster", b.clusterState().get(), ctx.clock().instant());
      return BackupOperations.stats("Cluster membership and servers dumped to " + dump.file() + ".",
          Map.of("bytesWritten", dump.size()));
    }));
  }

  private static String readText(Path f) throws IOException {
    return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
  }
}
