package io.storefleet.worker.backup.scan;

import io.storefleet.worker.store.ScanView;
import java.util.OptionalInt;

/**
 * How many accounts a scan works on at once: the {@code storefleet.scanThreads} property when set;
 * else what the store says it can serve at once ({@link ScanView#accountsAtOnce}, for a store
 * whose scan waits on a server), at most {@link #MAX_FOR_STORE}; else 2 to 4 by the machine's
 * cores, for a store whose scan is the worker's own CPU work (digests, compression).
 */
final class ScanThreads {
  static final String PROPERTY = "storefleet.scanThreads";
  /**
   * An account in flight holds its pass's batches in memory (the imap store: up to 16 MiB, the
   * batch read and the batch stored), so however many connections a site allows, a scan holds at
   * most 128 MiB of them.
   */
  static final int MAX_FOR_STORE = 8;

  private ScanThreads() {}

  static int of(ScanView view) {
    return of(view.accountsAtOnce(), Integer.getInteger(PROPERTY), Runtime.getRuntime().availableProcessors());
  }

  /** @param property the property's value, or null when it is not set */
  static int of(OptionalInt store, Integer property, int cores) {
    if (property != null) {
      if (property < 1) {
        throw new IllegalArgumentException(PROPERTY + " is " + property + "; set it to 1 or more, or leave it unset");
      }
      return property;
    }
    if (store.isPresent()) {
      return Math.max(1, Math.min(MAX_FOR_STORE, store.getAsInt()));
    }
    return Math.max(2, Math.min(4, cores));
  }
}
