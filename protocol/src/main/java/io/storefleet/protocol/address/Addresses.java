package io.storefleet.protocol.address;

/**
 * Every event-bus address storefleet uses. No other class builds an address string.
 *
 * <p>Version note: v1 addresses all start with {@code storefleet.}; a node that does not serve an
 * address yields NO_HANDLERS, which the coordinator reports as SERVER_UNAVAILABLE.
 *
 * <p>v2: {@link #workerShares} added (share check and fix). A worker without it answers
 * NO_HANDLERS, so a share check on a mixed cluster fails with SERVER_UNAVAILABLE naming it.
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

  /** Publish: progress snapshots ({@link io.storefleet.protocol.operation.Operation}) of one operation. */
  public static String operationEvents(String uuid) {
    return PREFIX + "operation." + uuid + ".events";
  }
}
