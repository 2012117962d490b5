package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The imap store's change journal, kept on the worker's disk because IMAP has none: every change
 * the store makes, and every change it finds on the server when it reconciles an account, with
 * sequence numbers that never go backwards or repeat (they continue from the file after a
 * restart).
 *
 * <p>Commits are grouped: each writes its entries under the journal's lock, then waits for a
 * force that covers them; one force covers every commit written before it (the scan's accounts
 * commit from several threads at once). An entry is seen by readers and listeners, in sequence
 * order, only once a force has covered it, so nothing reads (or records the position of) an entry
 * a crash could take back.
 *
 * <p>A failed force stops the journal for good (fail-stop): after a failed fsync the kernel may
 * have dropped the unforced pages and a later fsync may succeed without them, so no later force
 * can vouch for them. Every commit waiting on that force, and every later one, fails naming the
 * file and asking for a restart; nothing more is written or published. Reopening the file (the
 * worker's restart) reads whatever did reach it, and the id maps are healed from that.
 *
 * <p>Listeners are told on the thread that forced, in sequence order, while it still holds the
 * forcing lock; a listener must not commit (it would be told its own entry ahead of the rest of
 * the batch), and one that tries fails.
 */
final class ImapJournal implements Closeable {
  private static final Logger LOG = Logger.getLogger(ImapJournal.class.getName());

  /** One change to commit. */
  record Change(Mutation type, String accountId, int itemId, Object detail) {}

  /** How written entries are made durable: {@link AppendLog#force}, or a failing one in a test. */
  interface Force {
    void force(AppendLog log) throws IOException;
  }

  private final AppendLog log;
  private final Clock clock;
  private final Force force;
  private final List<JournalEntry> entries = new ArrayList<>();
  private final Map<String, Long> lastByAccount = new HashMap<>();
  private final Map<String, Integer> highestIdByAccount = new HashMap<>();
  private final List<Consumer<JournalEntry>> listeners = new CopyOnWriteArrayList<>();
  /** The last sequence committed (forced and seen by readers). */
  private long last;
  /** The last sequence written to the file; above {@link #last} while a force is awaited. */
  private long written;
  /** Entries written but not yet covered by a force, in sequence order. */
  private final List<JournalEntry> unforced = new ArrayList<>();
  /** Held by the thread that forces, and publishes, the entries written so far. */
  private final Object forcing = new Object();
  /** Why the journal stopped (a force failed, or a write that could not be cut), or null while it works. */
  private String broken;

  private ImapJournal(AppendLog log, Clock clock, Force force) {
    this.log = log;
    this.clock = clock;
    this.force = force;
  }

  static ImapJournal open(Path file, Clock clock) throws IOException {
    return open(file, clock, AppendLog::force);
  }

  static ImapJournal open(Path file, Clock clock, Force force) throws IOException {
    ImapJournal j = new ImapJournal(AppendLog.open(file), clock, force);
    for (String record : j.log.recovered()) {
      JournalEntry e;
      try {
        e = Json.MAPPER.readValue(record, JournalEntry.class);
      } catch (JsonProcessingException ex) {
        throw ErrorCode.IO_ERROR.exception("unreadable record in the imap store's journal " + file + ": "
            + ex.getOriginalMessage());
      }
      j.apply(e);
    }
    return j;
  }

  private void apply(JournalEntry e) {
    entries.add(e);
    last = e.seq();
    written = Math.max(written, last);
    if (e.accountId() != null) {
      lastByAccount.put(e.accountId(), e.seq());
      highestIdByAccount.merge(e.accountId(), e.itemId(), Math::max);
    }
  }

  /**
   * Commits changes: writes them, then returns once a force (its own or another commit's) covers
   * them and they are seen by readers; tells the listeners. Returns the entries.
   */
  List<JournalEntry> commit(List<Change> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    List<JournalEntry> made = write(changes);
    forceUpTo(made.get(made.size() - 1).seq());
    return made;
  }

  private synchronized List<JournalEntry> write(List<Change> changes) {
    if (Thread.holdsLock(forcing)) {
      // Only the publishing thread holds it: a listener committing would be told of its own
      // entry before the rest of the batch it is being told of.
      throw ErrorCode.INTERNAL.exception("a listener of the imap store's journal " + log.file()
          + " tried to commit; listeners must not commit");
    }
    failIfBroken();
    List<JournalEntry> made = new ArrayList<>();
    List<String> records = new ArrayList<>();
    long seq = written;
    for (Change c : changes) {
      JournalEntry e = new JournalEntry(++seq, clock.instant(), c.type(), c.accountId(), c.itemId(),
          Json.MAPPER.valueToTree(c.detail()));
      made.add(e);
      try {
        records.add(Json.MAPPER.writeValueAsString(e));
      } catch (JsonProcessingException ex) {
        throw ErrorCode.INTERNAL.exception("cannot encode journal entry " + e.seq() + ": " + ex.getOriginalMessage());
      }
    }
    try {
      log.write(records);
    } catch (AppendLog.NothingWritten ex) {
      throw ErrorCode.IO_ERROR.exception("cannot append to the imap store's journal " + log.file() + ": "
          + ex.getMessage());
    } catch (IOException ex) {
      // Part of a record may be left in the file: a later record glued to it would be read as
      // damage with committed records after it, and the file would no longer open.
      broken = "a write of entries " + made.get(0).seq() + " to " + seq + " may have left part of them in the file ("
          + ex.getMessage() + ")";
      LOG.log(Level.SEVERE, "the imap store's journal " + log.file() + " stops: " + broken, ex);
      throw stopped();
    }
    written = seq;
    unforced.addAll(made);
    return made;
  }

  /**
   * Returns once every entry up to {@code seq} is forced and applied. The thread that forces takes
   * every entry written so far; a commit whose entries another thread's force covered returns
   * without a force of its own. A failed force breaks the journal: its entries are never
   * published, and this and every later call fails.
   */
  private void forceUpTo(long seq) {
    synchronized (forcing) {
      List<JournalEntry> batch;
      synchronized (this) {
        if (unforced.isEmpty() || unforced.get(0).seq() > seq) {
          return; // another thread's force covered it
        }
        failIfBroken();
        batch = new ArrayList<>(unforced);
      }
      try {
        force.force(log);
      } catch (IOException | RuntimeException ex) {
        synchronized (this) {
          broken = "a force of entries " + batch.get(0).seq() + " to " + batch.get(batch.size() - 1).seq()
              + " failed (" + ex.getMessage() + ")";
          LOG.log(Level.SEVERE, "the imap store's journal " + log.file() + " stops: " + broken, ex);
          throw stopped();
        }
      }
      synchronized (this) {
        unforced.subList(0, batch.size()).clear();
        batch.forEach(this::apply);
      }
      for (JournalEntry e : batch) {
        for (Consumer<JournalEntry> l : listeners) {
          try {
            l.accept(e);
          } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "journal listener failed on entry " + e.seq(), ex);
          }
        }
      }
    }
  }

  private void failIfBroken() {
    if (broken != null) {
      throw stopped();
    }
  }

  /** The error of every commit once a force has failed: names the file and the restart it needs. */
  private StorefleetException stopped() {
    return ErrorCode.IO_ERROR.exception("the imap store's journal " + log.file() + " stopped: " + broken
        + "; nothing more is committed until the worker restarts (it then reads what reached the file)");
  }

  /**
   * Makes the next entry's sequence at least {@code seq + 1}: a lost journal starts again above
   * every position a follower (the backup) has recorded, never below. The last sequence is
   * raised too only when no entry awaits a force (it would be read as published).
   */
  synchronized void continueAbove(long seq) {
    written = Math.max(written, seq);
    if (unforced.isEmpty()) {
      last = Math.max(last, seq);
    }
  }

  /**
   * Makes every later entry's sequence greater than {@code past}: when the entries written so far
   * end below it, one JOURNAL_ADVANCED entry with sequence {@code past + 1} (raw restore: the
   * backup recorded positions of a lost journal up to {@code past}). Returns, once every entry
   * up to it is published, the last sequence (never raised past an entry awaiting its force).
   */
  long advance(long past) {
    if (past < 0) {
      throw ErrorCode.BAD_VALUE.exception("journal position " + past + " is negative");
    }
    long upTo;
    synchronized (this) {
      long before = written;
      upTo = before;
      if (before < past) {
        // Raised before the write: if it fails, later entries still start above the backup's positions.
        written = past;
        upTo = write(List.of(new Change(Mutation.JOURNAL_ADVANCED, null, 0, new JournalAdvanced(before))))
            .get(0).seq();
      }
    }
    forceUpTo(upTo);
    return lastSequence();
  }

  /** JOURNAL_ADVANCED's detail. */
  record JournalAdvanced(long previousSeq) {}

  synchronized long lastSequence() {
    return last;
  }

  synchronized long lastChange(String accountId) {
    return lastByAccount.getOrDefault(accountId, 0L);
  }

  /** The highest item or folder id any entry of the account names (0 if none): ids are never given twice. */
  synchronized int highestId(String accountId) {
    return highestIdByAccount.getOrDefault(accountId, 0);
  }

  /** The entries of one account with sequences above {@code seq}, oldest first. */
  synchronized List<JournalEntry> entriesAfter(String accountId, long seq) {
    List<JournalEntry> out = new ArrayList<>();
    for (int i = firstIndexAtOrAfter(seq + 1); i < entries.size(); i++) {
      if (accountId.equals(entries.get(i).accountId())) {
        out.add(entries.get(i));
      }
    }
    return out;
  }

  /** The accounts an ITEM_CREATED entry with this digest names, the most recent first. */
  synchronized List<String> accountsThatCreated(String digest) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      JournalEntry e = entries.get(i);
      if (e.type() == Mutation.ITEM_CREATED && e.accountId() != null && e.detail() != null
          && digest.equals(e.detail().path("digest").asText())) {
        out.add(e.accountId());
      }
    }
    return List.copyOf(out);
  }

  synchronized List<JournalEntry> read(long fromSeq, int limit) {
    List<JournalEntry> out = new ArrayList<>();
    int start = firstIndexAtOrAfter(fromSeq);
    for (int i = start; i < entries.size() && out.size() < limit; i++) {
      out.add(entries.get(i));
    }
    return out;
  }

  private int firstIndexAtOrAfter(long seq) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).seq() < seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  void addListener(Consumer<JournalEntry> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
