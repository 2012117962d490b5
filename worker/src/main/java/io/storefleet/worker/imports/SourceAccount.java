package io.storefleet.worker.imports;

import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.store.Account;

/**
 * An account as the source holds it: its id there and its last recorded snapshot.
 *
 * @param id the account's id on the source server
 * @param snapshot its last account snapshot (account, folders, grants)
 */
record SourceAccount(String id, AccountSnapshot snapshot) {
  Account account() {
    return snapshot.account();
  }

  String name() {
    return snapshot.account().name();
  }

  String domain() {
    return snapshot.account().domain();
  }

  boolean deleted() {
    return snapshot.deleted();
  }
}
