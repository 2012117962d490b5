package io.storefleet.protocol.wire;

import java.time.Instant;

/**
 * A worker's entry in the cluster directory.
 *
 * @param serverId the mailbox server it serves
 * @param nodeId the cluster member id of its process
 * @param startedAt when it joined
 * @param storeKind the MailStore implementation ({@code local}, ...)
 * @param backupPath its backup path
 * @param accounts how many accounts it owns
 * @param reachable filled in by the coordinator: whether its process is a live cluster member
 * @param unreachableSince filled in by the coordinator for a server that is not reachable: when
 *     the cluster noticed its member leave ({@link ServerDeparture#noticedAt()}); null while
 *     reachable, or when no member recorded the departure (it is recorded within milliseconds of
 *     the removal)
 * @param health filled in by the coordinator: the worker's last report, kept after it leaves;
 *     null when it never reported
 */
public record ServerInfo(
    String serverId,
    String nodeId,
    Instant startedAt,
    String storeKind,
    String backupPath,
    int accounts,
    Boolean reachable,
    Instant unreachableSince,
    ServerHealth health) {

  /** A directory entry as a worker publishes it: nothing filled in by the coordinator. */
  public ServerInfo(String serverId, String nodeId, Instant startedAt, String storeKind, String backupPath,
      int accounts, Boolean reachable) {
    this(serverId, nodeId, startedAt, storeKind, backupPath, accounts, reachable, null, null);
  }

  /** The same entry with reachability set. */
  public ServerInfo withReachable(boolean r) {
    return new ServerInfo(serverId, nodeId, startedAt, storeKind, backupPath, accounts, r, unreachableSince, health);
  }

  /**
   * The same entry with the worker's last report {@code h} (may be null), and for an unreachable
   * server the time the cluster noticed its member leave, by {@code left} (may be null) when that
   * record is about its current member.
   */
  public ServerInfo withHealth(ServerHealth h, ServerDeparture left) {
    Instant since = Boolean.FALSE.equals(reachable) && left != null && left.nodeId().equals(nodeId)
        ? left.noticedAt() : null;
    return new ServerInfo(serverId, nodeId, startedAt, storeKind, backupPath, accounts, reachable, since, h);
  }
}
