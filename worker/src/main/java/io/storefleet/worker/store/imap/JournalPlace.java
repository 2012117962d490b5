package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A place in the journal's history that an id map has caught up to: a sequence and the time of
 * the entry with it. A journal has the same history as the one the map followed only if that
 * entry is in it: a journal restored from an older copy, or started again above the backup's
 * positions after it was lost, has another entry there or none. {@code at} is null for a place
 * with no entry (a lost journal continued above the backup's positions, nothing written since):
 * such a place is in a journal that is still exactly there (empty, its last sequence the place) or
 * whose first entry follows it directly (the entries after it are the ones written since, which a
 * map restarted or rebuilt there must be healed from).
 */
record JournalPlace(long seq, Instant at) {
  static JournalPlace of(JournalEntry e) {
    return new JournalPlace(e.seq(), e.time());
  }

  /** Where the journal is now. */
  static JournalPlace current(ImapJournal journal) {
    long last = journal.lastSequence();
    return new JournalPlace(last, entryAt(journal, last).map(JournalEntry::time).orElse(null));
  }

  /** Whether {@code journal} has passed through this place: the map's history is its own. */
  boolean in(ImapJournal journal) {
    // Read first: entries published later are all above it.
    long last = journal.lastSequence();
    Optional<JournalEntry> e = entryAt(journal, seq);
    if (at != null) {
      return e.isPresent() && e.get().time().equals(at);
    }
    List<JournalEntry> first = journal.read(0, 1);
    return first.isEmpty() ? last == seq : continuesFrom(first.get(0));
  }

  /**
   * Whether the journal's first entry follows this entry-less place directly (the next sequence,
   * or a jump recorded as starting here): a journal that only begins somewhere above it may have
   * lost, with a second loss, entries written after it.
   */
  private boolean continuesFrom(JournalEntry first) {
    if (first.seq() == seq + 1) {
      return true;
    }
    JsonNode previous = first.type() == Mutation.JOURNAL_ADVANCED && first.detail() != null
        ? first.detail().get("previousSeq") : null;
    return previous != null && previous.asLong(-1) == seq;
  }

  private static Optional<JournalEntry> entryAt(ImapJournal journal, long seq) {
    List<JournalEntry> r = journal.read(seq, 1);
    return r.isEmpty() || r.get(0).seq() != seq ? Optional.empty() : Optional.of(r.get(0));
  }
}
