package io.storefleet.worker.notify;

import java.time.Instant;
import java.util.List;

/**
 * The servers whose notices go into one digest, as the server that sends it sees them. Calls may
 * block (they cross the cluster): they are made on the delivery thread only.
 */
public interface DigestPeers {

  /** Every server of the cluster, sorted by id, this one included. */
  List<String> servers();

  /** Whether {@code server} answers and sends digests itself (it has a digest time). */
  boolean sendsDigests(String server);

  /** The notices {@code server} has waiting for a digest made before {@code cutoff}; throws when it cannot be asked. */
  List<DigestItem> waiting(String server, Instant cutoff);

  /** Tells {@code server} what its notices' digests came to; throws when it cannot be told. */
  void report(String server, List<DigestOutcome> outcomes);

  /** Just this server: a worker alone, or a test. */
  static DigestPeers local(DigestBook book, java.time.Clock clock) {
    return new DigestPeers() {
      @Override
      public List<String> servers() {
        return List.of(book.serverId());
      }

      @Override
      public boolean sendsDigests(String server) {
        return false;
      }

      @Override
      public List<DigestItem> waiting(String server, Instant cutoff) {
        return book.waiting(cutoff, clock.instant());
      }

      @Override
      public void report(String server, List<DigestOutcome> outcomes) {
        book.apply(outcomes, clock.instant());
      }
    };
  }
}
