package io.storefleet.worker.backup.format;

import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The real-time scanner's position, {@code server/realtime.log}: one record per batch, the last
 * journal position whose entries are all recorded. The log is compacted to its last record every
 * {@value #COMPACT_AT} records and reopened, so that later records go to the compacted file.
 */
public final class RealtimeCursor implements Closeable {
  static final int COMPACT_AT = 10_000;

  private final int compactAt;
  private AppendLog log;
  private int records;
  private long position;

  private RealtimeCursor(AppendLog log, int compactAt) {
    this.log = log;
    this.compactAt = compactAt;
    List<String> r = log.recovered();
    this.position = r.isEmpty() ? 0 : Long.parseLong(r.get(r.size() - 1));
    this.records = r.size();
  }

  /** Opens the path's cursor (cutting a torn tail), 0 when the scanner has never run on it. */
  public static RealtimeCursor open(BackupEngine engine) throws IOException {
    return open(engine, COMPACT_AT);
  }

  static RealtimeCursor open(BackupEngine engine, int compactAt) throws IOException {
    return new RealtimeCursor(AppendLog.open(engine.path().realtimeCursor()), compactAt);
  }

  public synchronized long position() {
    return position;
  }

  /** Commits a new position (written and forced). */
  public synchronized void save(long at) throws IOException {
    log.append(Long.toString(at));
    position = at;
    if (++records >= compactAt) {
      log.close();
      AppendLog.rewrite(log.file(), List.of(Long.toString(at)));
      log = AppendLog.open(log.file());
      records = 1;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }
}
