package io.storefleet.worker.access;

import io.storefleet.protocol.access.AuditQuery;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The part of the audit trail this worker keeps ({@code <dataDir>/audit.log}): append-only, each
 * record fsync'd before the coordinator hears it is kept. Nothing ever rewrites or compacts it.
 */
public final class AuditLog implements Closeable {
  private final AppendLog log;

  private AuditLog(AppendLog log) {
    this.log = log;
  }

  public static AuditLog open(Path file) throws IOException {
    // Queries read the file afresh, so the history found at open is not kept in memory.
    return new AuditLog(AppendLog.openForAppends(file));
  }

  public void append(AuditRecord record) throws IOException {
    log.append(Json.encode(record));
  }

  /** The newest records that match, at most the query's limit, oldest first. Reads the whole file. */
  public List<AuditRecord> query(AuditQuery query) throws IOException {
    int limit = query.effectiveLimit();
    Deque<AuditRecord> newest = new ArrayDeque<>();
    // Read without the log's lock: an append under way is at most a torn tail, which inspect
    // leaves out, and holding the lock for a whole-file read would stall every call's record.
    for (String text : AppendLog.inspect(log.file()).records()) {
      AuditRecord r = Json.decode(text, AuditRecord.class);
      if (query.matches(r)) {
        newest.addLast(r);
        if (newest.size() > limit) {
          newest.removeFirst();
        }
      }
    }
    return new ArrayList<>(newest);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
