package io.storefleet.protocol.operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result block of an operation: named counters (for restores {@code restored},
 * {@code skipped}, {@code unrestored}; for scans {@code accounts}, {@code items}, ...), the items
 * that failed, and a one-line verdict.
 */
public record OperationStats(Map<String, Long> counters, List<Unrestored> unrestored, String verdict) {

  public OperationStats {
    counters = counters == null ? Map.of() : new LinkedHashMap<>(counters);
    unrestored = unrestored == null ? List.of() : new ArrayList<>(unrestored);
  }

  /** No result yet. */
  public static OperationStats empty() {
    return new OperationStats(Map.of(), List.of(), null);
  }

  /** A counter's value, 0 when absent. */
  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }
}
