package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.JournalEntry;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The commit path: contents to disk, then the journal records (one sync), then the in-memory
 * state, then the listeners. Callers serialize commits.
 */
final class Journal implements Closeable {
  private static final System.Logger LOG = System.getLogger(Journal.class.getName());

  private final AppendLog log;
  private final BlobFiles blobs;
  private final Clock clock;
  private final StoreState state;
  private final List<JournalEntry> entries = new ArrayList<>();
  private final List<Consumer<JournalEntry>> listeners = new CopyOnWriteArrayList<>();
  private String failure;

  private Journal(AppendLog log, BlobFiles blobs, Clock clock, StoreState state) {
    this.log = log;
    this.blobs = blobs;
    this.clock = clock;
    this.state = state;
  }

  /** Opens the journal in {@code dir} and replays it into {@code state}. */
  static Journal open(Path dir, Clock clock, StoreState state) throws IOException {
    Files.createDirectories(dir.resolve("blobs"));
    AppendLog log = AppendLog.open(dir.resolve("journal.log"));
    Journal journal = new Journal(log, new BlobFiles(dir.resolve("blobs")), clock, state);
    try {
      for (String record : log.recovered()) {
        JournalEntry e = JournalCodec.decode(record, log.file());
        state.apply(e);
        journal.entries.add(e);
      }
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return journal;
  }

  BlobFiles blobs() {
    return blobs;
  }

  List<JournalEntry> commit(List<Change> changes, Map<String, byte[]> contents) {
    return commit(changes, contents, 0);
  }

  /**
   * Commits {@code changes} numbered from {@code firstSeq} when that is past the next sequence
   * (only a JOURNAL_ADVANCED change may open such a gap), else from the next sequence.
   */
  List<JournalEntry> commit(List<Change> changes, Map<String, byte[]> contents, long firstSeq) {
    if (failure != null) {
      throw ErrorCode.IO_ERROR.exception(failure);
    }
    try {
      blobs.store(contents);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception(
          "cannot write item contents under " + log.file().resolveSibling("blobs") + ": " + e
              + "; check the disk, nothing was committed");
    }
    Instant now = clock.instant();
    long seq = Math.max(state.lastSequence(), firstSeq - 1);
    List<JournalEntry> committed = new ArrayList<>(changes.size());
    List<String> records = new ArrayList<>(changes.size());
    for (Change c : changes) {
      String encoded = JournalCodec.encode(
          new JournalEntry(++seq, now, c.type(), c.accountId(), c.itemId(), JournalCodec.detail(c.detail())));
      // Memory holds what a replay will rebuild: the record as UTF-8 on disk (a lone surrogate
      // becomes '?'), read back (numbers typed as the parser types them).
      String record = new String(encoded.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      records.add(record);
      committed.add(JournalCodec.decode(record, log.file()));
    }
    try {
      log.appendAll(records);
    } catch (AppendLog.NothingWritten e) {
      // The file is as it was: memory still matches it, and the store goes on once there is room.
      throw ErrorCode.IO_ERROR.exception(e.getMessage() + "; nothing of this change was committed");
    } catch (IOException e) {
      // Some of the records may be on disk: the memory no longer knows what the file holds.
      failure =
          "the journal " + log.file() + " failed (" + e + ") and may hold part of a commit;"
              + " close and reopen the store to recover";
      throw ErrorCode.IO_ERROR.exception(failure);
    }
    try {
      for (JournalEntry e : committed) {
        state.apply(e);
        entries.add(e);
      }
    } catch (RuntimeException e) {
      failure = "the store at " + log.file().getParent() + " could not apply its own journal entry (" + e.getMessage()
          + "); reopen it to rebuild the state from the journal";
      throw e;
    }
    for (JournalEntry e : committed) {
      notifyListeners(e);
    }
    return committed;
  }

  private void notifyListeners(JournalEntry e) {
    for (Consumer<JournalEntry> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        // The entry is committed; one broken listener must not hide it from the others.
        LOG.log(System.Logger.Level.WARNING, "journal listener " + l + " failed on entry " + e.seq(), ex);
      }
    }
  }

  void addListener(Consumer<JournalEntry> listener) {
    listeners.add(listener);
  }

  List<JournalEntry> read(long fromSeq, int limit) {
    // Sequences may jump at a JOURNAL_ADVANCED entry, so the position is searched, not computed.
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).seq() < fromSeq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int to = (int) Math.min((long) lo + limit, entries.size());
    return List.copyOf(entries.subList(lo, to));
  }

  @Override
  public void close() throws IOException {
    failure = "the store at " + log.file().getParent() + " is closed; reopen it";
    log.close();
  }
}
