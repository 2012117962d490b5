package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's grouped commits (no Dovecot): commits from many threads at once get sequences that
 * never repeat and follow each other without gaps, each commit's entries in one run; a commit
 * returns only once readers see its entries; readers and listeners see them in sequence order;
 * the file holds exactly what was committed; sequences go on above a raised position.
 */
class ImapJournalTest {
  @TempDir Path dir;

  @Test
  void commitsFromManyThreadsAtOnceKeepEverySequenceOnceAndInOrder() throws Exception {
    int threads = 6;
    int commits = 40;
    Path file = dir.resolve("journal.log");
    List<Long> heard = new CopyOnWriteArrayList<>();
    List<List<JournalEntry>> made = new ArrayList<>();
    try (ImapJournal journal = ImapJournal.open(file, MutableClock.atEpoch2026())) {
      journal.addListener(e -> heard.add(e.seq()));
      CyclicBarrier together = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<List<JournalEntry>>>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String account = "a" + t;
          done.add(pool.submit(() -> {
            List<List<JournalEntry>> mine = new ArrayList<>();
            together.await();
            for (int k = 0; k < commits; k++) {
              List<ImapJournal.Change> changes = new ArrayList<>();
              for (int n = 0; n <= k % 3; n++) {
                changes.add(new ImapJournal.Change(Mutation.ITEM_DELETED, account, 100 + k, null));
              }
              List<JournalEntry> entries = journal.commit(changes);
              long lastOfMine = entries.get(entries.size() - 1).seq();
              assertTrue(journal.lastSequence() >= lastOfMine, "a commit returns once its entries are seen");
              assertEquals(entries.get(0), journal.read(entries.get(0).seq(), 1).get(0));
              mine.add(entries);
            }
            return mine;
          }));
        }
        for (Future<List<List<JournalEntry>>> f : done) {
          made.addAll(f.get());
        }
      } finally {
        pool.shutdownNow();
      }
      int total = made.stream().mapToInt(List::size).sum();
      assertEquals(threads * commits, made.size());
      assertEquals(total, journal.lastSequence(), "no gap, no repeat");
      List<JournalEntry> all = journal.read(1, total + 1);
      for (int i = 0; i < total; i++) {
        assertEquals(i + 1, all.get(i).seq(), "readers see the entries in sequence order");
      }
      assertEquals(all.stream().map(JournalEntry::seq).toList(), heard, "listeners too, each entry once");
      for (List<JournalEntry> c : made) {
        for (int i = 1; i < c.size(); i++) {
          assertEquals(c.get(i - 1).seq() + 1, c.get(i).seq(), "one commit's entries in one run");
        }
        assertEquals(c, all.subList((int) c.get(0).seq() - 1, (int) c.get(c.size() - 1).seq()));
      }
      journal.continueAbove(total + 10);
      assertEquals(total + 11, journal.commit(List.of(new ImapJournal.Change(Mutation.ITEM_DELETED, "a0", 7, null)))
          .get(0).seq(), "sequences go on above a raised position");
    }
    try (ImapJournal again = ImapJournal.open(file, MutableClock.atEpoch2026())) {
      List<JournalEntry> read = again.read(1, Integer.MAX_VALUE);
      assertEquals(made.stream().mapToInt(List::size).sum() + 1, read.size(), "the file holds every commit");
      assertEquals(made.stream().mapToInt(List::size).sum() + 11, again.lastSequence());
    }
  }
}
