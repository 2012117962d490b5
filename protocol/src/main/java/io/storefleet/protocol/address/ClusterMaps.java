package io.storefleet.protocol.address;

/**
 * Names of the cluster-wide maps (Hazelcast through Vert.x shared data). Values are JSON strings
 * so that every node reads them whatever its version. The maps are a directory that workers
 * rebuild from their own stores when they (re)join; nothing in them is the only copy.
 */
public final class ClusterMaps {
  private ClusterMaps() {}

  /** serverId → {@link io.storefleet.protocol.wire.ServerInfo}. */
  public static final String SERVERS = "storefleet.servers";

  /**
   * serverId → the member that serves it (JSON of {@code fabric.membership.ServerIdClaim}), taken
   * with putIfAbsent at start so that one id is never served by two workers.
   */
  public static final String SERVER_IDS = "storefleet.serverIds";

  /**
   * serverId → {@link io.storefleet.protocol.wire.ServerHealth}: a worker's last report of its
   * backup's health, written after each of its metrics samples and left in place when it goes.
   */
  public static final String SERVER_HEALTH = "storefleet.serverHealth";

  /**
   * serverId → {@link io.storefleet.protocol.wire.ServerDeparture}: when the cluster noticed the
   * member serving it leave, written by every member that sees the removal (the first one's time
   * stays) and cleared by the worker when it starts again.
   */
  public static final String SERVERS_LEFT = "storefleet.serversLeft";

  /** lower-case account name or alias → {@link io.storefleet.protocol.wire.AccountLocation}. */
  public static final String ACCOUNTS_BY_NAME = "storefleet.accounts.byName";

  /** account id → {@link io.storefleet.protocol.wire.AccountLocation}. */
  public static final String ACCOUNTS_BY_ID = "storefleet.accounts.byId";

  /** operation uuid → serverId, so that {@code monitor {uuid}} needs no hostname. */
  public static final String OPERATIONS = "storefleet.operations";

  /**
   * token id (hex SHA-256 of the token) → {@link io.storefleet.protocol.access.TokenRecord},
   * revoked ones included. Workers rebuild it from their {@code tokens.log}; coordinators read it
   * on every call and keep no copy.
   */
  public static final String TOKENS = "storefleet.tokens";

  /**
   * hex SHA-256 of a web console session's secret → {@link
   * io.storefleet.protocol.access.ConsoleSession}, with a time to live, so that a session works
   * through any coordinator. Losing it signs operators out, nothing more.
   */
  public static final String CONSOLE_SESSIONS = "storefleet.consoleSessions";

  /**
   * member id → the member's cluster certificate and its signature over the member id (JSON of
   * {@code fabric.tls.MemberCertificate}); with event-bus TLS, a member not listed here with a
   * certificate from the cluster CA is never chosen to receive a message.
   */
  public static final String MEMBER_CERTIFICATES = "storefleet.memberCertificates";

  /**
   * client request id → the server it was sent to, with a time to live ({@code
   * fabric.directory.ClusterDirectory#REQUESTS_REMEMBERED}), so that a repeat through any
   * coordinator goes to the server that keeps its first answer (docs/protocol.md, "Request ids").
   */
  public static final String REQUESTS_PLACED = "storefleet.requests.placed";

  /**
   * hex SHA-256 of a client request id → the request a coordinator ran itself (a token change)
   * and its first answer, sealed with a key only that request id gives ({@code
   * coordinator.requests.KeptAnswers}), with a time to live: a repeat through any coordinator gets
   * the first answer.
   */
  public static final String REQUESTS_ANSWERED = "storefleet.requests.answered";

  /** The target word that broadcasts to every server. */
  public static final String ALL_SERVERS = "all_servers";
}
