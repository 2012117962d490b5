package io.storefleet.worker.backup.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.protocol.parse.DateText;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.backup.format.ServerDumps;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * getServerConfig: {@code standard} shows recorded server configurations (sections of keys, as
 * the manual's {@code query section/id/key} filters them); {@code customizations} lists the
 * configuration-file archives of doBackupServerCustomizations.
 */
final class ServerConfigQuery {
  private final BackupContext b;

  ServerConfigQuery(BackupContext b) {
    this.b = b;
  }

  void register(CommandRegistry registry, Vertx vertx, Replies replies) {
    registry.immediate(BackupCommand.GET_SERVER_CONFIG, (cmd, ctx) ->
        vertx.executeBlocking((Callable<CommandReply>) () -> {
          if (cmd.bool("colors")) {
            throw ErrorCode.NOT_IMPLEMENTED.exception(
                "getServerConfig colors true is not implemented; leave it false", b.serverId());
          }
          Object[] r = b.onBackupPath(cmd.string("backup_path"), "backup_path",
              e -> "customizations".equals(cmd.required("type")) ? customizations(e, cmd) : standard(e, cmd));
          return replies.result(r[0], (String) r[1]);
        }));
  }

  private Object[] standard(BackupEngine e, ParsedCommand cmd) throws IOException {
    List<ServerConfigSnapshot> all;
    if (cmd.has("file")) {
      Path f = b.paths().check(cmd.string("file"), "file");
      all = e.serverRecords(f, ServerConfigSnapshot.class);
    } else {
      all = e.serverRecords(e.path().configLog(), ServerConfigSnapshot.class);
    }
    List<ServerConfigSnapshot> chosen = choose(all, cmd.date("date"), b.clock().getZone());
    String[] q = cmd.has("query") ? cmd.string("query").replaceAll("^/+", "").split("/") : new String[0];
    List<Map<String, Object>> out = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    for (ServerConfigSnapshot s : chosen) {
      Map<String, Map<String, String>> sections = new LinkedHashMap<>();
      s.sections().forEach((section, keys) -> {
        if (q.length > 0 && !q[0].isEmpty() && !q[0].equalsIgnoreCase(section)) {
          return;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        keys.forEach((k, v) -> {
          if (q.length < 2 || q[1].equalsIgnoreCase(k)) {
            kept.put(k, v);
          }
        });
        if (!kept.isEmpty()) {
          sections.put(section, kept);
        }
      });
      out.add(Map.of("at", s.at().toString(), "sections", sections));
      t.append(line("config date", DateText.of(s.at(), b.clock().getZone())));
      sections.forEach((section, keys) -> {
        t.append(section).append('\n');
        keys.forEach((k, v) -> t.append(line("  " + k, v)));
      });
    }
    if (chosen.isEmpty()) {
      t.append("no server configuration recorded").append(cmd.has("date") ? " at that date" : "")
          .append("; a SmartScan records it\n");
    }
    return new Object[] {out, t.toString()};
  }

  private Object[] customizations(BackupEngine e, ParsedCommand cmd) throws IOException {
    List<ServerDumps.Dump> dumps = new ServerDumps(e.path()).list("customizations");
    DateArg date = cmd.date("date");
    List<ServerDumps.Dump> chosen = new ArrayList<>();
    if (date != null && date.is("all")) {
      chosen.addAll(dumps);
    } else {
      Instant at = date == null ? null : date.instant(b.clock().getZone());
      ServerDumps.Dump found = null;
      for (ServerDumps.Dump d : dumps) {
        if (at == null || !d.at().isAfter(at)) {
          found = d;
        }
      }
      if (found != null) {
        chosen.add(found);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    StringBuilder t = new StringBuilder("archives\n");
    for (ServerDumps.Dump d : chosen) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("filename", d.file().getFileName().toString());
      m.put("path", d.file().getParent().toString());
      m.put("date", d.at().toString());
      t.append(line("  filename", d.file().getFileName().toString()));
      t.append(line("  path", d.file().getParent().toString()));
      t.append(line("  modify date", DateText.of(d.at(), b.clock().getZone())));
      if (cmd.bool("verbose")) {
        JsonNode files = ServerDumps.read(d.file()).path("files");
        List<String> names = new ArrayList<>();
        files.fieldNames().forEachRemaining(names::add);
        m.put("files", names);
        names.forEach(n -> t.append(line("    file", n)));
      }
      out.add(m);
    }
    if (chosen.isEmpty()) {
      t.append("  none; run doBackupServerCustomizations\n");
    }
    return new Object[] {out, t.toString()};
  }

  private static List<ServerConfigSnapshot> choose(List<ServerConfigSnapshot> all, DateArg date,
      java.time.ZoneId zone) {
    if (date != null && date.is("all")) {
      return all;
    }
    ServerConfigSnapshot found = null;
    for (ServerConfigSnapshot s : all) {
      if (date == null || date.dateTime() == null
          || !s.at().isAfter(date.dateTime().atZone(zone).toInstant())) {
        found = s;
      }
    }
    return found == null ? List.of() : List.of(found);
  }

  private static String line(String key, String value) {
    int width = 100;
    int pad = Math.max(1, width - key.length() - value.length());
    return key + "_".repeat(pad) + value + "\n";
  }
}
