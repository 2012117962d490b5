package io.storefleet.protocol.imports;

import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.wire.ServerResult;
import java.util.ArrayList;
import java.util.List;

/** A planned import or export for people: one line per part, then the combined result block. */
public final class ImportStatusText {
  private ImportStatusText() {}

  public static String render(ImportStatus s) {
    StringBuilder sb = new StringBuilder();
    sb.append("plan ").append(s.plan()).append(" (").append(s.kind()).append(", ").append(s.parts())
        .append(" part(s)): ").append(s.state()).append(s.ended() ? " (exit " + s.exitCode() + ")" : "").append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PART", "SERVER", "PATH", "UUID", "STATE", "PROGRESS"});
    for (Operation op : s.operations()) {
      rows.add(new String[] {op.params().getOrDefault("plan_part", ""), op.server(),
          op.params().getOrDefault("source_path", op.params().getOrDefault("destination_path", "")), op.uuid(), op.state().name(),
          OperationText.progressLine(op).replaceFirst("^.*?: ", "")});
    }
    sb.append(Table.render(rows));
    for (ServerResult r : s.unreachable()) {
      sb.append(r.server()).append(": UNREACHABLE — ").append(r.error().message()).append('\n');
    }
    String stats = OperationText.stats(s.stats());
    if (!stats.isEmpty()) {
      sb.append('\n').append(stats);
    }
    return sb.toString();
  }
}
