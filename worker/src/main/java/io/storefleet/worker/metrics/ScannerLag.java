package io.storefleet.worker.metrics;

import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How far the real-time scanner is behind the store's journal: entries not recorded yet and the
 * age of the oldest of them. The scanner's cursor is read under its lock, which it holds while it
 * records, so this runs on the metrics thread.
 */
final class ScannerLag {
  /** One reading. */
  record Lag(long entries, double seconds, boolean running) {}

  private final RealtimeScanner scanner;
  private final MailStore store;
  private final Clock clock;

  ScannerLag(RealtimeScanner scanner, MailStore store, Clock clock) {
    this.scanner = scanner;
    this.store = store;
    this.clock = clock;
  }

  Lag sample() throws IOException {
    long cursor = scanner.cursor();
    long behind = Math.max(0, store.lastSequence() - cursor);
    double seconds = 0;
    if (behind > 0) {
      List<JournalEntry> oldest = store.journal(cursor + 1, 1);
      if (!oldest.isEmpty() && oldest.get(0).time() != null) {
        seconds = Math.max(0, Duration.between(oldest.get(0).time(), clock.instant()).toMillis() / 1000.0);
      }
    }
    return new Lag(behind, seconds, scanner.running());
  }
}
