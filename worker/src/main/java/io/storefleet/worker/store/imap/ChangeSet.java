package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Changes to journal together with what each does to the id map once its sequence is known: an
 * item's {@code modSeq} is the sequence of the entry that last changed it. The server already
 * holds the change when it is committed here; the map changes only after the journal write, and
 * its save is not forced: after a crash that lost it, the next load heals the map's items from
 * these entries ({@link AccountMap#heal}), and the next reconcile finds what no entry carries
 * (a mailbox's new mark) again, never loses it.
 */
final class ChangeSet {
  private final String accountId;
  private final List<ImapJournal.Change> changes = new ArrayList<>();
  /** What to do to the map, in the order the pass found it; {@code entry} is -1 for a step without one. */
  private record Step(int entry, Consumer<JournalEntry> apply) {}

  private final List<Step> steps = new ArrayList<>();

  ChangeSet(String accountId) {
    this.accountId = accountId;
  }

  void add(Mutation type, int id, Object detail, Consumer<JournalEntry> apply) {
    steps.add(new Step(changes.size(), apply == null ? e -> { } : apply));
    changes.add(new ImapJournal.Change(type, accountId, id, detail));
  }

  /**
   * Runs {@code step} on the map only once the changes are journalled: a mailbox's marker moves
   * past what it covers only when the journal holds it, so a failed journal write leaves the map
   * where the next pass finds the same changes again.
   */
  void afterJournal(Runnable step) {
    steps.add(new Step(-1, e -> step.run()));
  }

  /** Whether this set creates an item with this digest. */
  boolean creates(String digest) {
    return changes.stream().anyMatch(c -> c.detail() instanceof JournalDetails.ItemCreated i
        && i.digest().equals(digest));
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Journals the changes, applies them to the map and saves it; returns the entries. */
  List<JournalEntry> commit(ImapJournal journal, AccountMap map) {
    map.saveNewPlaceholders();
    List<JournalEntry> entries = journal.commit(changes);
    for (Step s : steps) {
      s.apply().accept(s.entry() < 0 ? null : entries.get(s.entry()));
    }
    if (!entries.isEmpty()) {
      map.journalled(JournalPlace.of(entries.get(entries.size() - 1)));
    }
    map.saveAfterJournal();
    return entries;
  }
}
