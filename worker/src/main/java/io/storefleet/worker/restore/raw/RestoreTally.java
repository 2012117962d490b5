package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result block being built: the vendor's three counters first (restored, skipped = already
 * there, unrestored = failed), then the command's own, and what failed with its cause. An entry
 * with item id 0 is about a whole account (refused) or about the operation.
 */
final class RestoreTally {
  private final Map<String, Long> counters = new LinkedHashMap<>();
  private final List<Unrestored> unrestored = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  RestoreTally(String... counterNames) {
    counters.put("restored", 0L);
    counters.put("skipped", 0L);
    counters.put("unrestored", 0L);
    for (String c : counterNames) {
      counters.put(c, 0L);
    }
  }

  synchronized void add(String counter, long n) {
    counters.merge(counter, n, Long::sum);
  }

  synchronized long get(String counter) {
    return counters.getOrDefault(counter, 0L);
  }

  /** One item (or, with id 0, one account) that failed; {@code items} is how many items that costs. */
  synchronized void failed(String account, long itemId, String cause, long items) {
    unrestored.add(new Unrestored(account, itemId, cause));
    counters.merge("unrestored", items, Long::sum);
  }

  /** Something the verdict must say that is not an item, e.g. a server that was not reached. */
  synchronized void note(String what) {
    notes.add(what);
  }

  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  synchronized boolean clean() {
    return unrestored.isEmpty() && notes.isEmpty();
  }

  synchronized List<Unrestored> unrestored() {
    return List.copyOf(unrestored);
  }

  synchronized OperationStats stats(String verdict) {
    return new OperationStats(counters, unrestored, verdict);
  }
}
