package io.storefleet.worker.backup.format;

import java.util.List;

/**
 * One account's new records, to be committed in the order of docs/backup-format.md, "Commit
 * order": the blobs its states name, then its item states, then its snapshot (or, when the
 * snapshot would say nothing new, a scan position after the states). Every writer of account
 * records builds one: a scan hands it to a {@link GroupCommit}, everyone else commits it at once
 * with {@link BackupEngine#commit}. Either way {@link CommitOrder} writes it.
 *
 * @param accountId the account
 * @param label how reports name the account (its name)
 * @param history the account's open history; the caller holds it (see {@link BackupEngine#withHistory})
 * @param states new item states; their blobs must have been put before
 * @param snapshot the account's new snapshot, or null for item states alone
 */
public record AccountCommit(String accountId, String label, AccountHistory history, List<ItemState> states,
    AccountSnapshot snapshot) {

  /** A commit of {@code history}'s account, labelled with its id. */
  public static AccountCommit of(AccountHistory history, List<ItemState> states, AccountSnapshot snapshot) {
    return new AccountCommit(history.accountId(), history.accountId(), history, states, snapshot);
  }

  /** Whether there is nothing to write for the account (its blobs are still committed). */
  boolean empty() {
    return states.isEmpty() && snapshot == null;
  }
}
