package io.storefleet.worker.restore;

import java.util.List;

/**
 * What a restore writes into one mailbox.
 *
 * @param folders folders to create even if no item goes there (a whole account's tree)
 * @param items the items, in the order they are written
 * @param exact whether the target folders must end up holding exactly the planned items (a new
 *     account the restore created) or at least them (a live mailbox, which has other items)
 */
record RestorePlan(List<FolderTarget> folders, List<PlannedItem> items, boolean exact) {

  RestorePlan {
    folders = List.copyOf(folders);
    items = List.copyOf(items);
  }

  /** Items brought back into a live mailbox beside what it holds. */
  static RestorePlan into(List<PlannedItem> items) {
    return new RestorePlan(List.of(), items, false);
  }
}
