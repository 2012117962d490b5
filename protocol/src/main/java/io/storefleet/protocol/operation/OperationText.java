package io.storefleet.protocol.operation;

import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.parse.DateText;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders operations for people: the queue table, one operation's detail, the stats block. */
public final class OperationText {

  private static final java.util.Set<String> RESTORE_COUNTERS = java.util.Set.of("restored", "skipped", "unrestored");

  private OperationText() {}

  /** The queue as one table with the server column. */
  public static String table(List<Operation> ops) {
    if (ops.isEmpty()) {
      return "no operations\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVER", "UUID", "COMMAND", "STATE", "PROGRESS", "QUEUED", "REQUESTER"});
    for (Operation op : ops) {
      rows.add(
          new String[] {
            op.server(), op.uuid(), op.command(), op.state().name(), progressCell(op),
            time(op.queuedAt()), op.requester() == null ? "" : op.requester()
          });
    }
    return Table.render(rows);
  }

  private static String progressCell(Operation op) {
    Progress p = op.progress();
    if (p == null || op.state() == OperationState.QUEUED) {
      return "";
    }
    String items = p.total() >= 0 ? p.done() + "/" + p.total() : Long.toString(p.done());
    int pct = p.percent();
    return items + (pct >= 0 ? " (" + pct + "%)" : "");
  }

  /**
   * One progress line: server, command and state, then counts, percent, bytes and ETA, and the
   * phase last (it is the longest part, so a line cut to a terminal's width loses it first).
   */
  public static String progressLine(Operation op) {
    Progress p = op.progress();
    StringBuilder sb = new StringBuilder();
    sb.append(op.server()).append(' ').append(op.command()).append(": ").append(op.state());
    if (p != null && op.state() != OperationState.QUEUED) {
      sb.append(" — ").append(p.done());
      if (p.total() >= 0) {
        sb.append('/').append(p.total());
      }
      sb.append(' ').append(p.unit());
      int pct = p.percent();
      if (pct >= 0) {
        sb.append(", ").append(pct).append('%');
      }
      if (p.bytes() > 0) {
        sb.append(", ").append(humanBytes(p.bytes()));
      }
      if (p.etaSeconds() >= 0 && !op.state().terminal()) {
        sb.append(", ETA ").append(p.etaSeconds()).append(" s");
      }
      sb.append(" — ").append(p.phase());
    }
    return sb.toString();
  }

  /** Everything about one operation, ending with its stats block. */
  public static String detail(Operation op) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("uuid", op.uuid());
    f.put("server", op.server());
    f.put("command", op.command());
    f.put("parameters", parameters(op.params()));
    f.put("state", op.state().name() + (op.state().terminal() ? " (exit " + op.state().exitCode() + ")" : ""));
    f.put("requester", op.requester() == null ? "" : op.requester());
    if (op.via() != null) {
      f.put("proxied via", op.via());
    }
    f.put("queued", time(op.queuedAt()));
    f.put("started", time(op.startedAt()));
    f.put("ended", time(op.endedAt()));
    f.put("progress", progressLine(op));
    if (op.error() != null) {
      f.put("error", op.error().code() + ": " + op.error().message());
    }
    StringBuilder sb = new StringBuilder();
    int w = f.keySet().stream().mapToInt(String::length).max().orElse(0);
    f.forEach((k, v) -> sb.append(k).append(" ".repeat(w - k.length() + 2)).append(v).append('\n'));
    String stats = stats(op.stats());
    if (!stats.isEmpty()) {
      sb.append('\n').append(stats);
    }
    if (!op.notifications().isEmpty()) {
      // Subjects only: the bodies repeat this detail and are in the JSON form (--json).
      sb.append("\n- notifications -\n");
      for (Notification n : op.notifications()) {
        sb.append(time(n.at())).append("  to ").append(String.join(",", n.to())).append("  ")
            .append(n.subject()).append("  [").append(n.delivery()).append("]\n");
      }
    }
    return sb.toString();
  }

  /** The vendor's result block: counters, then unrestored items per account, then the verdict. */
  public static String stats(OperationStats s) {
    if (s == null || (s.counters().isEmpty() && s.unrestored().isEmpty() && s.verdict() == null)) {
      return "";
    }
    StringBuilder sb = new StringBuilder("- stats -\n");
    s.counters().forEach((k, v) -> sb.append(label(k)).append(": ").append(v).append('\n'));
    if (!s.unrestored().isEmpty()) {
      sb.append("\n- unrestored items -\n");
      Map<String, List<Unrestored>> byAccount = new LinkedHashMap<>();
      for (Unrestored u : s.unrestored()) {
        byAccount.computeIfAbsent(u.account(), k -> new ArrayList<>()).add(u);
      }
      byAccount.forEach(
          (account, items) -> {
            sb.append("account: ").append(account).append('\n');
            sb.append("unrestored items: ")
                .append(String.join(",", items.stream().map(u -> Long.toString(u.itemId())).toList()))
                .append('\n');
            for (Unrestored u : items) {
              sb.append("  ").append(u.itemId()).append(": ").append(u.cause()).append('\n');
            }
          });
    }
    if (s.verdict() != null) {
      sb.append('\n').append(s.verdict()).append('\n');
    }
    return sb.toString();
  }

  private static String label(String counter) {
    if (RESTORE_COUNTERS.contains(counter)) {
      // The vendor's block reads "Restored Items: 15233"; operators grep for it.
      return Character.toUpperCase(counter.charAt(0)) + counter.substring(1) + " Items";
    }
    String spaced = counter.replaceAll("([a-z])([A-Z])", "$1 $2");
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }

  /** Parameters as the command line gives them: {@code name value} pairs. */
  static String parameters(Map<String, String> params) {
    if (params.isEmpty()) {
      return "(none)";
    }
    List<String> pairs = new ArrayList<>();
    params.forEach((k, v) -> pairs.add(k + " " + (v.isEmpty() || v.contains(" ") ? "\"" + v + "\"" : v)));
    return String.join(", ", pairs);
  }

  private static String time(Instant t) {
    // Printed where the reader is, with the offset, so a server elsewhere is never a guess.
    return t == null ? "" : DateText.of(t, ZoneId.systemDefault());
  }

  private static String humanBytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    if (b < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
  }
}
