package io.storefleet.protocol.operation;

import io.storefleet.protocol.error.ErrorInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one queued operation, as written to the owning server's operation log.
 *
 * @param uuid its id
 * @param server the server that runs it and logs it
 * @param command the catalogued command name
 * @param params the command's canonical parameter values
 * @param requester who asked (token subject or CLI user)
 * @param via the server that proxied the request here, or null
 * @param seq its position in the server's queue, increasing in acceptance order
 * @param state its lifecycle state
 * @param queuedAt when it was accepted
 * @param startedAt when it started running, or null
 * @param endedAt when it reached a terminal state, or null
 * @param progress its latest progress
 * @param stats its result block
 * @param error why it failed, or null
 * @param notifications what it addressed to the people in its {@code notifications} parameter
 * @param requestId the client's request id it was accepted under (v8), or null: written with its
 *     first record, so a repeat of that id finds it even after a crash
 */
public record Operation(
    String uuid,
    String server,
    String command,
    Map<String, String> params,
    String requester,
    String via,
    long seq,
    OperationState state,
    Instant queuedAt,
    Instant startedAt,
    Instant endedAt,
    Progress progress,
    OperationStats stats,
    ErrorInfo error,
    List<Notification> notifications,
    String requestId) {

  /** A record accepted without request id. */
  public Operation(String uuid, String server, String command, Map<String, String> params, String requester,
      String via, long seq, OperationState state, Instant queuedAt, Instant startedAt, Instant endedAt,
      Progress progress, OperationStats stats, ErrorInfo error, List<Notification> notifications) {
    this(uuid, server, command, params, requester, via, seq, state, queuedAt, startedAt, endedAt, progress, stats,
        error, notifications, null);
  }

  public Operation {
    params = params == null ? Map.of() : new LinkedHashMap<>(params);
    stats = stats == null ? OperationStats.empty() : stats;
    notifications = notifications == null ? List.of() : List.copyOf(notifications);
  }

  /** The same record with one more notification. */
  public Operation withNotification(Notification n) {
    List<Notification> all = new ArrayList<>(notifications);
    all.add(n);
    return new Operation(uuid, server, command, params, requester, via, seq, state, queuedAt,
        startedAt, endedAt, progress, stats, error, all, requestId);
  }

  /** The same record with its {@code index}th notification replaced (a new delivery state). */
  public Operation withNotificationAt(int index, Notification n) {
    List<Notification> all = new ArrayList<>(notifications);
    all.set(index, n);
    return new Operation(uuid, server, command, params, requester, via, seq, state, queuedAt,
        startedAt, endedAt, progress, stats, error, all);
  }

  /** The same record in another state. */
  public Operation withState(OperationState s, Instant at) {
    Instant started = s == OperationState.RUNNING ? at : startedAt;
    Instant ended = s.terminal() ? at : endedAt;
    return new Operation(uuid, server, command, params, requester, via, seq, s, queuedAt, started,
        ended, progress, stats, error, notifications, requestId);
  }

  /** The same record with new progress. */
  public Operation withProgress(Progress p) {
    return new Operation(uuid, server, command, params, requester, via, seq, state, queuedAt,
        startedAt, endedAt, p, stats, error, notifications, requestId);
  }

  /** The same record with a result block. */
  public Operation withStats(OperationStats s) {
    return new Operation(uuid, server, command, params, requester, via, seq, state, queuedAt,
        startedAt, endedAt, progress, s, error, notifications, requestId);
  }

  /** The same record with an error. */
  public Operation withError(ErrorInfo e) {
    return new Operation(uuid, server, command, params, requester, via, seq, state, queuedAt,
        startedAt, endedAt, progress, stats, e, notifications, requestId);
  }
}
