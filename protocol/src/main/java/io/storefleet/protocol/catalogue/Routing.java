package io.storefleet.protocol.catalogue;

/** How the coordinator finds the server a command runs on. */
public enum Routing {
  /**
   * The server that owns the command's account parameter. No hostname is needed; a wrong one is
   * proxied to the owner, one hop at most.
   */
  ACCOUNT,
  /** The server named by the target; {@code all_servers} where the command allows broadcast. */
  SERVER,
  /** Answered by the coordinator from all servers (aggregated queue, monitor by uuid). */
  CLUSTER
}
