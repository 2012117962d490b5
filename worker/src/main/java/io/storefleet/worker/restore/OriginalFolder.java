package io.storefleet.worker.restore;

import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.store.Folder;
import java.util.Map;

/**
 * An item's original folder in a live mailbox: the folder itself while it exists, otherwise a
 * folder re-created at the path it had then.
 */
final class OriginalFolder {
  /** Where items go whose folder the backup never recorded (it was created and lost between scans). */
  static final String UNKNOWN = "/Recovered items";

  private OriginalFolder() {}

  /**
   * @param live the mailbox's folders now, by id
   * @param then the folders as the backup knew them when the item was in that state, by id
   */
  static FolderTarget of(ItemState s, Map<Integer, Folder> live, Map<Integer, Folder> then) {
    Folder now = live.get(s.folderId());
    if (now != null && !now.isMountpoint()) {
      return FolderTarget.existing(now);
    }
    Folder known = then.get(s.folderId());
    if (known != null && !known.isMountpoint()) {
      return FolderTarget.path(known.path(), known.view());
    }
    return FolderTarget.path(UNKNOWN, FolderTarget.viewFor(s.type()));
  }
}
