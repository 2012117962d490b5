package io.storefleet.protocol.catalogue;

/**
 * Where one request goes: the answer of {@link RoutingRule#route}. The first five send the
 * command to workers; the last four are answered (or placed) by the coordinator itself.
 */
public enum Route {
  /**
   * The server that owns the account parameter. A named server gets the request first and
   * proxies it to the owner (one hop); an account no server owns is sent to the server whose
   * backup holds it when the command {@link CommandSpec#fromBackup() reads backups}.
   */
  OWNER,
  /** The server the operator named. */
  NAMED_SERVER,
  /** Every registered server at once, one result per server. */
  EVERY_SERVER,
  /** The only registered server; with several, the operator must name one ({@code TARGET_REQUIRED}). */
  ONLY_SERVER,
  /** The live server with the fewest accounts, ties to the lowest id: where a new account is placed. */
  FEWEST_ACCOUNTS,
  /** Answered by the coordinator: every server's queue merged into one table. */
  QUEUE_TABLE,
  /**
   * Answered by the coordinator: sent to the server holding the operation ({@code
   * operation_host}, else the named server, else the uuid index, else whichever server knows it).
   */
  OPERATION_HOLDER,
  /** Answered by the coordinator: every share of the cluster checked with every server's facts. */
  SHARE_CHECK,
  /** Placed by the coordinator: the cluster-wide share fix, one operation on the first live server. */
  SHARE_FIX;

  /** Whether the coordinator answers (or places) the command itself instead of routing it. */
  public boolean byCoordinator() {
    return ordinal() >= QUEUE_TABLE.ordinal();
  }
}
