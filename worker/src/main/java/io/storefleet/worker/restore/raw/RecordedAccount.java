package io.storefleet.worker.restore.raw;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import java.util.List;

/**
 * One account as the backup recorded it from the lost store, in the store's own terms: what a raw
 * restore re-creates and then checks the store against.
 *
 * @param account the account, with its original id, aliases, attributes and creation time
 * @param folders its folders and mountpoints, system ones included
 * @param grants the shares it gave
 * @param items its live items, each with its recorded arrival time, or else the time of its first
 *     recorded state
 * @param deleted whether the backup says the account was gone (or its COS had backup disabled)
 * @param uncertain why the backup could not vouch for its item states, or null
 */
record RecordedAccount(
    Account account, List<Folder> folders, List<Grant> grants, List<Item> items, boolean deleted, String uncertain) {

  RecordedAccount {
    folders = List.copyOf(folders);
    grants = List.copyOf(grants);
    items = List.copyOf(items);
  }
}
