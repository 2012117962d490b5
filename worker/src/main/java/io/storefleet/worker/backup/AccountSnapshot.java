package io.storefleet.worker.backup;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import java.time.Instant;
import java.util.List;

/**
 * An account's provisioning and folder tree as one scan saw it: a line of {@code account.log}.
 *
 * @param account the account, or its last known form when deleted
 * @param folders its folders (with mountpoints)
 * @param grants the shares it gave
 * @param deleted whether the account was gone from the store
 * @param scannedSeq the store's journal position the scan covered for this account
 * @param at when the scan saw it
 */
public record AccountSnapshot(
    Account account, List<Folder> folders, List<Grant> grants, boolean deleted, long scannedSeq, Instant at) {

  /** Whether the snapshot says the same as {@code o}, apart from the scan position and date. */
  boolean sameAs(AccountSnapshot o) {
    return o != null && account.equals(o.account) && folders.equals(o.folders)
        && grants.equals(o.grants) && deleted == o.deleted;
  }
}
