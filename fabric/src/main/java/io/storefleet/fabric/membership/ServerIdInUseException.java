package io.storefleet.fabric.membership;

/** A live cluster member already serves the server id a starting worker asked for. */
public final class ServerIdInUseException extends RuntimeException {
  private final transient ServerIdClaim holder;

  ServerIdInUseException(ServerIdClaim holder, boolean answered) {
    super("server id " + holder.serverId() + " is already served by a live cluster member ("
        + holder.describe() + (answered ? "" : "; it did not answer, but the cluster still counts it as a member")
        + "). Two workers with one id would split that server's accounts between two stores, so this one"
        + " does not start. Stop that worker first (on a replaced machine: stop or kill the old process, see"
        + " docs/operations.md, Disaster recovery), or start this one with another --server-id");
    this.holder = holder;
  }

  /** The member that holds the id. */
  public ServerIdClaim holder() {
    return holder;
  }
}
