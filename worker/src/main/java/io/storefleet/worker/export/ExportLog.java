package io.storefleet.worker.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The progress log of an export, {@code storefleet-export.log} beside its marker: one record per
 * account finished (or found gone), and one when the whole export is finished. A re-run on the
 * same destination reads it to resume where the last run stopped.
 */
final class ExportLog implements Closeable {
  static final String FILE = "storefleet-export.log";

  /**
   * One line of the log.
   *
   * @param kind {@code account} (exported), {@code gone} (no longer on the server) or {@code finished}
   * @param account the account id ({@code account}, {@code gone})
   * @param name the account's name ({@code account}, {@code gone})
   * @param items the items exported ({@code account})
   * @param seq the journal position the account's export reflects ({@code account})
   * @param counters the whole export's counters ({@code finished})
   * @param at when it was recorded
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Entry(String kind, String account, String name, Long items, Long seq, Map<String, Long> counters,
      Instant at) {
    static final String ACCOUNT = "account";
    static final String GONE = "gone";
    static final String FINISHED = "finished";
  }

  private final AppendLog log;
  private final List<Entry> entries = new ArrayList<>();

  private ExportLog(AppendLog log) {
    this.log = log;
    for (String r : log.recovered()) {
      entries.add(Json.decode(r, Entry.class));
    }
  }

  static ExportLog open(Path root) throws IOException {
    return new ExportLog(AppendLog.open(root.resolve(FILE)));
  }

  /** The entries of an export path's log without opening it for writing (none when it has no log). */
  static List<Entry> read(Path root) throws IOException {
    Path f = root.resolve(FILE);
    if (!Files.exists(f)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    for (String r : AppendLog.inspect(f).records()) {
      out.add(Json.decode(r, Entry.class));
    }
    return out;
  }

  static Entry finishedEntry(List<Entry> entries) {
    return entries.stream().filter(e -> Entry.FINISHED.equals(e.kind())).findFirst().orElse(null);
  }

  /** Accounts a previous run finished or found gone. */
  synchronized Set<String> settled() {
    Set<String> out = new HashSet<>();
    for (Entry e : entries) {
      if (e.account() != null) {
        out.add(e.account());
      }
    }
    return out;
  }

  synchronized void exported(String accountId, String name, long items, long seq, Instant at) throws IOException {
    append(new Entry(Entry.ACCOUNT, accountId, name, items, seq, null, at));
  }

  synchronized void gone(String accountId, String name, Instant at) throws IOException {
    append(new Entry(Entry.GONE, accountId, name, null, null, null, at));
  }

  synchronized void finished(Map<String, Long> counters, Instant at) throws IOException {
    append(new Entry(Entry.FINISHED, null, null, null, null, counters, at));
  }

  private void append(Entry e) throws IOException {
    log.append(Json.encode(e));
    entries.add(e);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
