package io.storefleet.worker.backup.format;

import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real-time scanner's position, {@code server/realtime.log}: one record per batch, the last
 * journal position whose entries are all recorded. The log is compacted to its last record every
 * {@value #COMPACT_AT} records and reopened, so that later records go to the compacted file.
 *
 * <p>Compaction only bounds the file's size: a failed one is logged and tried again
 * {@value #COMPACT_AT} records later, and never fails a save whose position is already forced.
 */
public final class RealtimeCursor implements Closeable {
  static final int COMPACT_AT = 10_000;
  private static final Logger LOG = Logger.getLogger(RealtimeCursor.class.getName());

  private final int compactAt;
  private final Path file;
  /** Null after a reopen failed: the next save opens it again. */
  private AppendLog log;
  private int records;
  private long position;

  private RealtimeCursor(AppendLog log, int compactAt) {
    this.log = log;
    this.file = log.file();
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
    if (log == null) {
      log = AppendLog.open(file);
    }
    log.append(Long.toString(at));
    position = at;
    if (++records >= compactAt) {
      compact(at);
    }
  }

  private void compact(long at) throws IOException {
    log.close();
    log = null;
    try {
      AppendLog.rewrite(file, List.of(Long.toString(at)));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not compact " + file + " (tried again after " + compactAt
          + " more positions; the position " + at + " is saved): " + e, e);
    }
    records = 1;
    log = AppendLog.open(file);
  }

  @Override
  public synchronized void close() throws IOException {
    if (log != null) {
      log.close();
    }
  }
}
