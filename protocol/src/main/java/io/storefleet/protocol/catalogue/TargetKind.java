package io.storefleet.protocol.catalogue;

import io.storefleet.protocol.address.ClusterMaps;

/** What the operator named as target ({@code --host}). */
public enum TargetKind {
  /** No target: the coordinator chooses. */
  NONE,
  /** One server by id. */
  SERVER,
  /** {@code all_servers}. */
  ALL_SERVERS;

  /** The kind of a request's target: null or blank is none. */
  public static TargetKind of(String target) {
    if (target == null || target.isBlank()) {
      return NONE;
    }
    return ClusterMaps.ALL_SERVERS.equalsIgnoreCase(target.trim()) ? ALL_SERVERS : SERVER;
  }
}
