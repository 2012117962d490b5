package io.storefleet.worker.restore;

import io.storefleet.worker.backup.format.ItemState;
import java.util.Set;
import java.util.TreeSet;

/**
 * One item a restore brings back: the backed-up state whose content and metadata it writes, where
 * it goes, and the flags it gets there.
 */
record PlannedItem(ItemState state, FolderTarget target, Set<String> flags) {

  PlannedItem {
    flags = Set.copyOf(flags);
  }

  /** The state's flags without IMAP's deleted flag, so a restored item is visible again. */
  static Set<String> visible(ItemState s) {
    Set<String> f = new TreeSet<>(s.flags());
    f.remove("deleted");
    return f;
  }
}
