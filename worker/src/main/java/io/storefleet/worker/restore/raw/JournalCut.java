package io.storefleet.worker.restore.raw;

import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mutation;
import java.util.List;

/**
 * Where the store being rebuilt took over from the lost one: the position of its last
 * JOURNAL_ADVANCED entry. Backup records at or above it were made from the new store (the echo
 * of an earlier run of the restore) and are not what the restore brings back.
 */
final class JournalCut {
  /** No cut: every record counts. */
  static final long NONE = Long.MAX_VALUE;
  private static final int PAGE = 1000;

  private JournalCut() {}

  static long previous(MailStore store) {
    long cut = NONE;
    long from = 1;
    while (true) {
      List<JournalEntry> page = store.journal(from, PAGE);
      if (page.isEmpty()) {
        return cut;
      }
      for (JournalEntry e : page) {
        if (e.type() == Mutation.JOURNAL_ADVANCED) {
          cut = e.seq();
        }
      }
      from = page.get(page.size() - 1).seq() + 1;
    }
  }
}
