package io.storefleet.protocol.address;

/**
 * Every event-bus address storefleet uses. No other class builds an address string.
 *
 * <p>Version note: v1 addresses all start with {@code storefleet.}; a node that does not serve an
 * address yields NO_HANDLERS, which the coordinator reports as SERVER_UNAVAILABLE.
 *
 * <p>v2: {@link #workerShares} added (share check and fix). A worker without it answers
 * NO_HANDLERS, so a share check on a mixed cluster fails with SERVER_UNAVAILABLE naming it.
 *
 * <p>v3: {@link #serverIdHolder} added. A starting worker that gets no answer from an older
 * holder waits until the cluster drops that holder before it refuses to start.
 *
 * <p>v4: {@link #workerTokens}, {@link #workerAudit} and {@link #workerAuditQuery} added (tokens
 * and the audit trail kept on the workers' disks). A worker without them answers NO_HANDLERS; the
 * coordinator then uses another worker.
 *
 * <p>v5: {@link #workerDigest} added (the cluster's daily notice digest). A worker without it
 * answers NO_HANDLERS; the digest then leaves its notices out and says so in the sender's log.
 */
public final class Addresses {
  private static final String PREFIX = "storefleet.";

  private Addresses() {}

  /** Request/reply: {@link io.storefleet.protocol.wire.CommandRequest}s for one server's worker. */
  public static String workerCommands(String serverId) {
    return PREFIX + "worker." + serverId + ".command";
  }

  /**
   * Request/reply: share requests for one server's worker (facts, import-map look-ups, fixes,
   * opening a folder for a mountpoint), JSON in both directions; see docs/protocol.md.
   */
  public static String workerShares(String serverId) {
    return PREFIX + "worker." + serverId + ".shares";
  }

  /**
   * Request/reply: the worker that holds a server id answers with its claim (JSON), so that a
   * second worker started with that id is refused at once instead of waiting for it to leave.
   */
  public static String serverIdHolder(String serverId) {
    return PREFIX + "worker." + serverId + ".holder";
  }

  /** Request/reply: a {@link io.storefleet.protocol.access.TokenRecord} (JSON) for the worker's {@code tokens.log}. */
  public static String workerTokens(String serverId) {
    return PREFIX + "worker." + serverId + ".tokens";
  }

  /** Request/reply: an {@link io.storefleet.protocol.access.AuditRecord} (JSON) for the worker's {@code audit.log}. */
  public static String workerAudit(String serverId) {
    return PREFIX + "worker." + serverId + ".audit";
  }

  /**
   * Request/reply: an {@link io.storefleet.protocol.access.AuditQuery} (JSON); the answer is the
   * matching records of the worker's {@code audit.log} (a JSON array, oldest first).
   */
  public static String workerAuditQuery(String serverId) {
    return PREFIX + "worker." + serverId + ".audit.query";
  }

  /**
   * Request/reply: the daily digest of notices between workers (JSON {@code DigestRequest}: HELLO,
   * WAITING or REPORT); see docs/operations.md, "Notifications".
   */
  public static String workerDigest(String serverId) {
    return PREFIX + "worker." + serverId + ".digest";
  }

  /** Publish: progress snapshots ({@link io.storefleet.protocol.operation.Operation}) of one operation. */
  public static String operationEvents(String uuid) {
    return PREFIX + "operation." + uuid + ".events";
  }
}
