package io.storefleet.worker.store;

import java.util.List;

/**
 * One account's mailbox as it stood at one journal position, read atomically: every mutation with
 * a sequence up to {@code seq} is reflected in it and none after. A backup that records {@code seq}
 * with what it copied knows exactly which journal entries it still has to replay.
 *
 * @param account the account
 * @param seq the store's last committed sequence when the snapshot was taken
 * @param folders its folders (with mountpoints)
 * @param items its live items
 * @param grants the shares it gave
 */
public record MailboxSnapshot(Account account, long seq, List<Folder> folders, List<Item> items, List<Grant> grants) {
  public MailboxSnapshot {
    folders = List.copyOf(folders);
    items = List.copyOf(items);
    grants = List.copyOf(grants);
  }
}
