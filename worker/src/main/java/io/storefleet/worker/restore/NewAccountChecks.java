package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Domain;
import java.util.Locale;
import java.util.Optional;

/** What must hold before a restore creates an account. */
final class NewAccountChecks {
  private NewAccountChecks() {}

  /**
   * The address must be free in the whole cluster, and its domain must exist here: the new account
   * is created on this server, the source account's.
   */
  static void destinationFree(RestoreContext rc, String destination) {
    Optional<String> elsewhere = rc.directory().serverOf(destination);
    if (elsewhere.isPresent() && !elsewhere.get().equals(rc.serverId())) {
      throw ErrorCode.ALREADY_EXISTS.exception("account " + destination + " already exists on server "
          + elsewhere.get() + "; choose a new destination_account", elsewhere.get());
    }
    if (rc.store().account(destination).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("account " + destination + " already exists on server "
          + rc.serverId() + " and was not created by this restore; choose a new destination_account, or delete it"
          + " with 'storefleet admin deleteAccount " + destination + "' if it may go", rc.serverId());
    }
    String domain = destination.substring(destination.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    if (rc.store().domains().stream().map(Domain::name).noneMatch(domain::equals)) {
      throw ErrorCode.NOT_FOUND.exception("domain " + domain + " does not exist on server " + rc.serverId()
          + ", where the new account is created (the source account's server); create it with"
          + " 'storefleet --host " + rc.serverId() + " admin createDomain " + domain + "'", rc.serverId());
    }
  }
}
