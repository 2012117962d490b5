package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Changes to journal together with what each does to the id map once its sequence is known: an
 * item's {@code modSeq} is the sequence of the entry that last changed it. The server already
 * holds the change when it is committed here; a crash before the id map is saved makes the next
 * reconcile find (and journal) the same change again, never lose it.
 */
final class ChangeSet {
  private final String accountId;
  private final List<ImapJournal.Change> changes = new ArrayList<>();
  private final List<Consumer<JournalEntry>> appliers = new ArrayList<>();

  ChangeSet(String accountId) {
    this.accountId = accountId;
  }

  void add(Mutation type, int id, Object detail, Consumer<JournalEntry> apply) {
    changes.add(new ImapJournal.Change(type, accountId, id, detail));
    appliers.add(apply == null ? e -> { } : apply);
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Journals the changes, applies them to the map and saves it; returns the entries. */
  List<JournalEntry> commit(ImapJournal journal, AccountMap map) {
    List<JournalEntry> entries = journal.commit(changes);
    for (int i = 0; i < entries.size(); i++) {
      appliers.get(i).accept(entries.get(i));
    }
    map.save();
    return entries;
  }
}
