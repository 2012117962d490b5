package io.storefleet.cli;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.OperationTable;
import io.storefleet.protocol.wire.ServerHealth;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * What {@code storefleet servers} prints: one block per server, one fact per line, so that every
 * field the web console's Servers page shows fits in 100 columns whatever its length. The queue
 * comes from the cluster's operation table, as on the console; the rest from {@code GET
 * /api/v1/servers}.
 */
final class ServerListing {
  private static final String LINE = "  %-16s%s%n";

  private ServerListing() {}

  /**
   * @param queue the cluster's queue, or null when it could not be read
   * @param queueError the error code that kept it from being read (shown in place of each
   *     server's queue; codes, not messages, keep the lines short)
   */
  static String render(List<ServerInfo> servers, OperationTable queue, String queueError) {
    StringBuilder out = new StringBuilder();
    for (ServerInfo s : servers) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(s.serverId()).append(": ").append(state(s)).append('\n');
      line(out, "store", s.storeKind() + ", " + s.accounts() + " account(s)");
      queue(out, s.serverId(), queue, queueError);
      line(out, "backup path", s.backupPath());
      health(out, s.health());
      line(out, "node", s.nodeId() + ", up since " + when(s.startedAt()));
    }
    return out.toString();
  }

  private static String state(ServerInfo s) {
    if (Boolean.TRUE.equals(s.reachable())) {
      return "up";
    }
    return s.unreachableSince() == null ? "UNREACHABLE" : "UNREACHABLE since " + when(s.unreachableSince());
  }

  private static void queue(StringBuilder out, String server, OperationTable table, String error) {
    if (table == null) {
      line(out, "queue", "not known (" + error + ")");
      return;
    }
    for (ServerResult u : table.unreachable()) {
      if (u.server().equals(server)) {
        line(out, "queue", "not known (" + (u.error() == null ? "did not answer" : u.error().code()) + ")");
        return;
      }
    }
    List<Operation> mine = table.operations().stream().filter(o -> server.equals(o.server())).toList();
    line(out, "queue", mine.stream().filter(o -> o.state() == OperationState.QUEUED).count() + " queued");
    for (Operation o : mine) {
      if (o.state() == OperationState.RUNNING) {
        int pct = o.progress() == null ? -1 : o.progress().percent();
        line(out, "running", o.command() + (pct >= 0 ? " " + pct + "%" : "") + ", op " + o.uuid());
      }
    }
  }

  private static void health(StringBuilder out, ServerHealth h) {
    if (h == null) {
      line(out, "health", "no report from its worker yet");
      return;
    }
    line(out, "backup size", h.backupPathBytes() == null ? "not surveyed yet"
        : String.format(Locale.ROOT, "%,d bytes, surveyed %s", h.backupPathBytes(), when(h.backupPathSurveyedAt())));
    ServerHealth.LastSmartScan scan = h.lastSmartScan();
    line(out, "last SmartScan", scan == null ? "none"
        : scan.state() + ", ended " + when(scan.endedAt()) + ", op " + scan.uuid());
    line(out, "scanner lag", lag(h));
    line(out, "reported", when(h.at()));
  }

  /** As the console says it: entries and seconds behind, and whether the scanner runs at all. */
  private static String lag(ServerHealth h) {
    if (h.scannerLagEntries() == null) {
      return "not read yet";
    }
    String behind = h.scannerLagEntries() + " entries, " + Math.round(h.scannerLagSeconds()) + " s behind";
    return Boolean.TRUE.equals(h.scannerRunning()) ? behind : "stopped; " + behind;
  }

  private static String when(Instant t) {
    return t == null ? "unknown" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, LINE, label, value));
  }
}
