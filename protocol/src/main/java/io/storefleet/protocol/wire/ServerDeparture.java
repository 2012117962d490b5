package io.storefleet.protocol.wire;

import java.time.Instant;

/**
 * When the cluster noticed that the member serving a server left: written to the cluster map
 * {@code storefleet.serversLeft} by the members that saw Hazelcast remove it, so the coordinator's
 * {@code GET /api/v1/servers} can say since when a server is unreachable.
 *
 * @param nodeId the member that left; a record of an older member than the server's current one
 *     says nothing about it
 * @param noticedAt when the first member to record it saw it removed: at once for a worker that
 *     stopped, after the missed heartbeats for one that died
 */
public record ServerDeparture(String nodeId, Instant noticedAt) {}
