package io.storefleet.worker.backup.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import java.time.Instant;
import java.util.List;

/**
 * An account's provisioning and folder tree at one journal position: a line of {@code account.log}.
 *
 * @param account the account, or its last known form when deleted
 * @param folders its folders (with mountpoints)
 * @param grants the shares it gave
 * @param deleted whether the account is gone from the store, or treated as gone
 * @param excluded why a live account is treated as deleted (its COS has backup disabled), or null
 * @param uncertain why the backup cannot vouch for this account's item states until an account
 *     scan runs (an emptied folder, an unreadable item), or null
 * @param withoutContent whether some live item's content was not kept (blobless mode)
 * @param seq the store journal position everything in this account's backup reflects
 * @param at when it was recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountSnapshot(
    Account account,
    List<Folder> folders,
    List<Grant> grants,
    boolean deleted,
    String excluded,
    String uncertain,
    boolean withoutContent,
    long seq,
    Instant at) {

  public AccountSnapshot {
    folders = folders == null ? List.of() : List.copyOf(folders);
    grants = grants == null ? List.of() : List.copyOf(grants);
  }

  public AccountSnapshot withUncertain(String why, long atSeq, Instant when) {
    return new AccountSnapshot(account, folders, grants, deleted, excluded, why, withoutContent, atSeq, when);
  }

  public AccountSnapshot asDeleted(String why, long atSeq, Instant when) {
    return new AccountSnapshot(account, folders, grants, true, why, uncertain, withoutContent, atSeq, when);
  }

  /** Whether the snapshot says the same as {@code o}, apart from the position and date. */
  public boolean sameAs(AccountSnapshot o) {
    return o != null && account.equals(o.account) && folders.equals(o.folders) && grants.equals(o.grants)
        && deleted == o.deleted && java.util.Objects.equals(excluded, o.excluded)
        && java.util.Objects.equals(uncertain, o.uncertain);
  }
}
