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
 */
public record ServerInfo(
    String serverId,
    String nodeId,
    Instant startedAt,
    String storeKind,
    String backupPath,
    int accounts,
    Boolean reachable) {

  /** The same entry with reachability set. */
  public ServerInfo withReachable(boolean r) {
    return new ServerInfo(serverId, nodeId, startedAt, storeKind, backupPath, accounts, r);
  }
}
