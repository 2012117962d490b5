package io.storefleet.worker.requests;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The request ids this server has answered, beside its operation log: {@code requests.log}, an
 * {@link AppendLog} of {@link RequestRecord}s, the latest record of an id winning. A record is
 * committed (fsync'd) before the answer it holds is given.
 *
 * <p>An operation carries its request id in its own first record, so an id whose answer record a
 * crash cut off is found in the operation log at the next open. An immediate command's id is
 * logged as started before it runs; one still unanswered at open was cut off by a crash, and its
 * outcome is unknown: a repeat answers that, indefinite, instead of running it a second time.
 */
public final class RequestLog implements Closeable {
  private final Path file;
  private final Clock clock;
  private final Retention retention;
  private final Map<String, RequestRecord> byId;
  /**
   * The same records for {@link #find}, which the event loop calls: it must not wait for the lock
   * that {@link #keep} and {@link #compact} hold across their fsyncs.
   */
  private final Map<String, RequestRecord> readable;
  private AppendLog log;
  private int appended;

  private RequestLog(Path file, Clock clock, Retention retention, Map<String, RequestRecord> byId) {
    this.file = file;
    this.clock = clock;
    this.retention = retention;
    this.byId = byId;
    this.readable = new ConcurrentHashMap<>(byId);
  }

  /**
   * Opens (creating if needed) and compacts the log.
   *
   * @param operations the operation log's records as recovered, to find ids whose answer a crash cut off
   * @param accepted the answer a queued command gave when it accepted an operation
   */
  public static RequestLog open(Path file, Clock clock, Retention retention, String serverId,
      List<Operation> operations, Function<Operation, CommandReply> accepted) throws IOException {
    Map<String, RequestRecord> byId = new LinkedHashMap<>();
    try (AppendLog raw = AppendLog.open(file)) {
      for (String line : raw.recovered()) {
        RequestRecord r = Json.decode(line, RequestRecord.class);
        byId.put(r.id(), r);
      }
    }
    for (Operation op : operations) {
      RequestRecord known = op.requestId() == null ? null : byId.get(op.requestId());
      if (op.requestId() != null && (known == null || !known.answered())) {
        byId.put(op.requestId(), RequestRecord.started(op.requestId(), op.queuedAt(), op.command(), op.params(),
            op.requester()).answer(accepted.apply(op)));
      }
    }
    for (Map.Entry<String, RequestRecord> e : byId.entrySet()) {
      if (!e.getValue().answered()) {
        e.setValue(e.getValue().failure(ErrorInfo.of(ErrorCode.INTERNAL.exception("request " + e.getKey() + " ("
            + e.getValue().command() + ") was being run on server " + serverId + " when it stopped, so its outcome is"
            + " unknown; check its effect, then run the command again if needed (a new invocation has a new id)",
            serverId))));
      }
    }
    RequestLog opened = new RequestLog(file, clock, retention, byId);
    opened.compact();
    return opened;
  }

  /** The id's latest record, if it is kept. */
  public Optional<RequestRecord> find(String id) {
    return Optional.ofNullable(readable.get(id));
  }

  /** Logs a request as seen, before it runs; committed when this returns. */
  public void started(RequestRecord r) throws IOException {
    keep(r);
  }

  /**
   * Keeps a request's first answer; committed when this returns. It is kept in memory even if
   * the write fails, so this process never runs the request twice.
   */
  public void answered(RequestRecord r) throws IOException {
    if (!r.answered()) {
      throw new IllegalArgumentException("request " + r.id() + " has no answer to keep");
    }
    keep(r);
  }

  private synchronized void keep(RequestRecord r) throws IOException {
    byId.put(r.id(), r);
    readable.put(r.id(), r);
    log.append(Json.encode(r));
    if (++appended >= retention.max()) {
      compact();
    }
  }

  /** The number of ids kept. */
  public synchronized int size() {
    return byId.size();
  }

  /** Forgets the ids the retention no longer covers and rewrites the file with one record per kept id. */
  private synchronized void compact() throws IOException {
    Instant oldest = clock.instant().minus(retention.age());
    int over = byId.size() - retention.max();
    for (Iterator<RequestRecord> it = byId.values().iterator(); it.hasNext(); ) {
      RequestRecord r = it.next();
      // Kept in the order first seen, so the first ones are the oldest.
      if (over > 0 || r.at().isBefore(oldest)) {
        it.remove();
        readable.remove(r.id(), r);
        over--;
      }
    }
    List<String> lines = new ArrayList<>();
    byId.values().forEach(r -> lines.add(Json.encode(r)));
    if (log != null) {
      log.close();
    }
    AppendLog.rewrite(file, lines);
    log = AppendLog.open(file);
    appended = 0;
  }

  @Override
  public synchronized void close() throws IOException {
    if (log != null) {
      log.close();
    }
  }
}
