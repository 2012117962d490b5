package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Everything the journal describes, rebuilt entry by entry; not thread-safe. */
final class StoreState {
  private final Directory directory = new Directory();
  private final Map<String, Mailbox> mailboxes = new HashMap<>();
  private final Map<String, Long> lastChange = new HashMap<>(); // kept for deleted accounts too
  private long lastSeq;

  Directory directory() {
    return directory;
  }

  Optional<Mailbox> mailbox(String accountId) {
    return Optional.ofNullable(mailboxes.get(accountId));
  }

  long lastSequence() {
    return lastSeq;
  }

  long lastChange(String accountId) {
    return lastChange.getOrDefault(accountId, 0L);
  }

  void apply(JournalEntry e) {
    boolean advance = e.type() == Mutation.JOURNAL_ADVANCED && e.seq() > lastSeq;
    if (e.seq() != lastSeq + 1 && !advance) {
      throw ErrorCode.IO_ERROR.exception(
          "journal entry " + e.seq() + " follows entry " + lastSeq + "; the journal has a gap or"
              + " repeats, restore it from a copy");
    }
    switch (e.type()) {
      case ACCOUNT_CREATED -> directory.apply(e).ifPresent(a -> mailboxes.put(a.id(), new Mailbox(a.id())));
      case ACCOUNT_DELETED -> directory.apply(e).ifPresent(a -> mailboxes.remove(a.id()));
      case DOMAIN_CREATED, DOMAIN_DELETED, COS_CREATED, COS_UPDATED, COS_DELETED, ALIAS_ADDED,
          DL_CREATED, DL_DELETED -> directory.apply(e);
      // Positions and contents: the sequence below, and the content files themselves.
      case JOURNAL_ADVANCED, CONTENT_RESTORED -> { }
      default -> {
        Mailbox m = mailboxes.get(e.accountId());
        if (m == null) {
          throw ErrorCode.IO_ERROR.exception(
              "journal entry " + e.seq() + " (" + e.type() + ") concerns account " + e.accountId()
                  + ", which does not exist; the journal is inconsistent, restore the store from a backup");
        }
        m.apply(e);
      }
    }
    lastSeq = e.seq();
    if (e.accountId() != null) {
      lastChange.put(e.accountId(), e.seq());
    }
  }
}
