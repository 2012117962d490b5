package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.parse.DateText;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The daily digest mail: a subject counting the ends, one line per notice, then each notice in full. */
final class DigestText {
  private DigestText() {}

  static String subject(List<DigestItem> items, Instant cutoff, ZoneId zone) {
    Map<OperationState, Integer> counts = new EnumMap<>(OperationState.class);
    items.forEach(i -> counts.merge(i.state(), 1, Integer::sum));
    String tally = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
    int servers = new TreeSet<>(items.stream().map(DigestItem::server).toList()).size();
    return "storefleet daily digest up to " + DateText.of(cutoff, zone) + ": " + items.size() + " operation"
        + (items.size() == 1 ? "" : "s") + " on " + servers + " server" + (servers == 1 ? "" : "s") + " (" + tally + ")";
  }

  static String body(List<DigestItem> items, Instant cutoff, ZoneId zone) {
    StringBuilder sb = new StringBuilder("Notices up to ").append(DateText.of(cutoff, zone)).append(":\n\n");
    items.forEach(i -> sb.append(DateText.of(i.at(), zone)).append("  ").append(i.subject()).append('\n'));
    for (DigestItem i : items) {
      sb.append("\n===== ").append(i.subject()).append(" =====\n").append(i.text());
    }
    return sb.toString();
  }
}
