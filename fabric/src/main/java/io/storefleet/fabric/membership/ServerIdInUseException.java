package io.storefleet.fabric.membership;

/** A live cluster member already serves the server id a starting worker asked for. */
public final class ServerIdInUseException extends RuntimeException {
  private final transient ServerIdClaim holder;
  private final boolean answered;

  /**
   * @param answered whether the holder answered; one that did not may be a dead process the
   *     cluster has not dropped yet, so a later start can succeed
   */
  public ServerIdInUseException(ServerIdClaim holder, boolean answered) {
    super("server id " + holder.serverId() + " is already served by a live cluster member ("
        + holder.describe() + (answered ? "" : "; it did not answer, but the cluster still counts it as a member")
        + "). Two workers with one id would split that server's accounts between two stores, so this one"
        + " does not start. Stop that worker first (on a replaced machine: stop or kill the old process, see"
        + " docs/operations.md, Disaster recovery), or start this one with another --server-id");
    this.holder = holder;
    this.answered = answered;
  }

  /** Whether the holder answered, i.e. is known to be alive (otherwise it was only still listed). */
  public boolean answered() {
    return answered;
  }

  /** The member that holds the id. */
  public ServerIdClaim holder() {
    return holder;
  }
}
