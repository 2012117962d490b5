package io.storefleet.worker.cluster;

import io.storefleet.protocol.catalogue.AdminCommand;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rest of the cluster as a raw restore needs it. Calls block: they run on the queue's thread,
 * never on an event loop.
 */
public interface ClusterPeers {
  /** The other servers registered in the cluster directory. */
  List<String> others();

  /**
   * Runs an admin command on another server and returns nothing on success.
   *
   * @throws io.storefleet.protocol.error.StorefleetException what the server answered, or
   *     SERVER_UNAVAILABLE / SERVER_TIMEOUT when it did not ({@link io.storefleet.fabric.bus.ClusterErrors})
   */
  void admin(String server, AdminCommand command, Map<String, String> params);

  /**
   * The other server that holds an account (by id, name or alias) now, if any. A directory entry
   * naming a server that does not answer is stale (that server was lost) and counts as none.
   */
  Optional<String> holderElsewhere(String nameOrId);

  /** Publishes this server's accounts to the cluster directory, so routing finds restored ones at once. */
  void publishAccounts();
}
