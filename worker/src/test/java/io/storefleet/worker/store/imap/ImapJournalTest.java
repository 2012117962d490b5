package io.storefleet.worker.store.imap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's grouped commits (no Dovecot): commits from many threads at once get sequences that
 * never repeat and follow each other without gaps, each commit's entries in one run; a commit
 * returns only once readers see its entries; readers and listeners see them in sequence order;
 * the file holds exactly what was committed; sequences go on above a raised position. Through an
 * injected force: commits written while a force runs share the next one; a failed force stops the
 * journal (its commits and every later one fail, nothing of it is published, a reopen reads what
 * reached the file), and so does a write that may have left part of a record; a raised position
 * never passes an entry awaiting its force; a listener cannot commit.
 */
class ImapJournalTest {
  @TempDir Path dir;
  private final HeldForce force = new HeldForce();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    force.letGo();
    pool.shutdownNow();
  }

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

  @Test
  void commitsWrittenWhileAForceRunsShareTheNextForceAndAreSeenOnlyOnceForced() throws Exception {
    Path file = dir.resolve("journal.log");
    List<Long> heard = new CopyOnWriteArrayList<>();
    try (ImapJournal journal = ImapJournal.open(file, MutableClock.atEpoch2026(), force)) {
      journal.addListener(e -> heard.add(e.seq()));
      force.hold();
      Future<List<JournalEntry>> first = pool.submit(() -> journal.commit(List.of(change("a"))));
      force.awaitHeld();
      Future<List<JournalEntry>> second = pool.submit(() -> journal.commit(List.of(change("b"))));
      Future<List<JournalEntry>> third = pool.submit(() -> journal.commit(List.of(change("c"), change("c"))));
      awaitRecords(file, 4); // written while the first force runs: no commit holds the lock through its force
      assertEquals(0, journal.lastSequence(), "nothing is seen before its force");
      assertEquals(List.of(), journal.read(1, 10));
      assertEquals(List.of(), heard);

      force.letGo();
      assertEquals(1, first.get().get(0).seq());
      second.get();
      third.get();
      assertEquals(2, force.calls.get(), "the two commits written during the first force share one force");
      assertEquals(4, journal.lastSequence());
      assertEquals(List.of(1L, 2L, 3L, 4L), heard);
    }
  }

  @Test
  void aFailedForceStopsTheJournalAndNothingItCoveredIsEverPublished() throws Exception {
    Path file = dir.resolve("journal.log");
    List<Long> heard = new CopyOnWriteArrayList<>();
    try (ImapJournal journal = ImapJournal.open(file, MutableClock.atEpoch2026(), force)) {
      journal.addListener(e -> heard.add(e.seq()));
      journal.commit(List.of(change("a")));
      force.hold();
      Future<List<JournalEntry>> held = pool.submit(() -> journal.commit(List.of(change("a"))));
      force.awaitHeld();
      Future<List<JournalEntry>> b = pool.submit(() -> journal.commit(List.of(change("b"))));
      Future<List<JournalEntry>> c = pool.submit(() -> journal.commit(List.of(change("c"))));
      awaitRecords(file, 4);
      force.failFrom = 3; // the held force (the 2nd) succeeds, the one covering b and c fails
      force.letGo();

      assertEquals(2, held.get().get(0).seq());
      for (Future<List<JournalEntry>> f : List.of(b, c)) {
        StorefleetException e = assertThrows(StorefleetException.class, () -> failureOf(f));
        assertStopped(e, file);
      }
      assertEquals(3, force.calls.get(), "one force for the batch of b and c");
      assertStopped(assertThrows(StorefleetException.class, () -> journal.commit(List.of(change("d")))), file);
      force.failFrom = Integer.MAX_VALUE; // the disk works again: the journal stays stopped
      assertStopped(assertThrows(StorefleetException.class, () -> journal.commit(List.of(change("e")))), file);
      assertStopped(assertThrows(StorefleetException.class, () -> journal.advance(100)), file);
      assertEquals(3, force.calls.get(), "nothing forced after the failure");
      assertEquals(4, AppendLog.inspect(file).records().size(), "nor written");
      assertEquals(2, journal.lastSequence());
      assertEquals(List.of(1L, 2L), journal.read(1, 10).stream().map(JournalEntry::seq).toList());
      assertEquals(List.of(1L, 2L), heard);
    }
    try (ImapJournal again = ImapJournal.open(file, MutableClock.atEpoch2026())) {
      assertEquals(List.of(1L, 2L, 3L, 4L), again.read(1, 10).stream().map(JournalEntry::seq).toList(),
          "the restart reads what reached the file");
      assertEquals(5, again.commit(List.of(change("a"))).get(0).seq());
    }
  }

  @Test
  void aWriteThatCouldNotBeCutStopsTheJournal() throws Exception {
    Path file = dir.resolve("journal.log");
    ImapJournal journal = ImapJournal.open(file, MutableClock.atEpoch2026());
    journal.commit(List.of(change("a")));
    journal.close(); // the write fails, and so does cutting what it may have left
    StorefleetException first = assertThrows(StorefleetException.class, () -> journal.commit(List.of(change("b"))));
    assertStopped(first, file);
    assertTrue(first.getMessage().contains("write of entries 2 to 2"), first.getMessage());
    assertStopped(assertThrows(StorefleetException.class, () -> journal.commit(List.of(change("c")))), file);
    try (ImapJournal again = ImapJournal.open(file, MutableClock.atEpoch2026())) {
      assertEquals(2, again.commit(List.of(change("a"))).get(0).seq());
    }
  }

  @Test
  void aRaisedPositionNeverPassesAnEntryAwaitingItsForce() throws Exception {
    Path file = dir.resolve("journal.log");
    try (ImapJournal journal = ImapJournal.open(file, MutableClock.atEpoch2026(), force)) {
      force.hold();
      Future<List<JournalEntry>> held = pool.submit(() -> journal.commit(List.of(change("a"))));
      force.awaitHeld();
      journal.continueAbove(5);
      Future<Long> advanced = pool.submit(() -> journal.advance(10));
      awaitRecords(file, 2);
      assertEquals(0, journal.lastSequence(), "a follower starting above the position would skip entry 1");
      assertEquals(List.of(), journal.read(1, 10));

      force.letGo();
      assertEquals(11, advanced.get());
      assertEquals(1, held.get().get(0).seq());
      List<JournalEntry> all = journal.read(1, 10);
      assertEquals(List.of(1L, 11L), all.stream().map(JournalEntry::seq).toList());
      assertEquals(Mutation.JOURNAL_ADVANCED, all.get(1).type());
      assertEquals(5, all.get(1).detail().path("previousSeq").asLong(), "the sequence given before the jump");
      assertEquals(11, journal.advance(7), "nothing to raise");
      assertEquals(12, journal.commit(List.of(change("a"))).get(0).seq());
    }
  }

  @Test
  void aListenerCannotCommit() throws Exception {
    List<Exception> refused = new CopyOnWriteArrayList<>();
    List<Long> heard = new CopyOnWriteArrayList<>();
    try (ImapJournal journal = ImapJournal.open(dir.resolve("journal.log"), MutableClock.atEpoch2026(), force)) {
      journal.addListener(e -> {
        heard.add(e.seq());
        try {
          journal.commit(List.of(change("from-listener")));
        } catch (StorefleetException ex) {
          refused.add(ex);
        }
      });
      journal.commit(List.of(change("a"), change("a")));
      assertEquals(List.of(1L, 2L), heard);
      assertEquals(2, refused.size());
      assertEquals(ErrorCode.INTERNAL, ((StorefleetException) refused.get(0)).code());
      assertEquals(2, journal.lastSequence(), "nothing of the listener's was written");
      assertEquals(3, journal.commit(List.of(change("b"))).get(0).seq());
    }
  }

  private static ImapJournal.Change change(String account) {
    return new ImapJournal.Change(Mutation.ITEM_DELETED, account, 1, null);
  }

  private static void awaitRecords(Path file, int n) {
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10)).until(() -> AppendLog.inspect(file).records().size() == n);
  }

  private static void failureOf(Future<?> f) throws Throwable {
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  private static void assertStopped(StorefleetException e, Path file) {
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("restart"), e.getMessage());
  }

  /** A force that counts its calls, can be held until let go, and fails from a given call on. */
  private static final class HeldForce implements ImapJournal.Force {
    final AtomicInteger calls = new AtomicInteger();
    volatile int failFrom = Integer.MAX_VALUE;
    private volatile CountDownLatch gate;
    private final Semaphore held = new Semaphore(0);

    void hold() {
      gate = new CountDownLatch(1);
    }

    void awaitHeld() throws InterruptedException {
      assertTrue(held.tryAcquire(10, TimeUnit.SECONDS), "a force was held");
    }

    void letGo() {
      CountDownLatch g = gate;
      gate = null;
      if (g != null) {
        g.countDown();
      }
    }

    @Override
    public void force(AppendLog log) throws IOException {
      int n = calls.incrementAndGet();
      CountDownLatch g = gate;
      if (g != null) {
        held.release();
        try {
          if (!g.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the test never let the force go");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      if (n >= failFrom) {
        throw new IOException("injected: disk gone");
      }
      log.force();
    }
  }
}
