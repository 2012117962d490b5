package io.storefleet.worker.backup.format;

/**
 * When a path without a dictionary samples its mail again after a sample fell short (too few
 * items or bytes to train on). Sampling costs reads (for the imap store a login and FETCHes in
 * up to 32 accounts), so a site too small to train is not sampled at every scan: only once its
 * accounts hold at least twice as many items as at the last attempt, and at least {@link
 * BlobCodec#MIN_SAMPLES} more. Kept by the open engine, not on disk: a restarted worker tries
 * once more.
 */
public final class DictionaryAttempts {
  private long itemsWhenShort = -1;

  /** Whether a scan whose accounts hold {@code items} items samples them for a dictionary. */
  public synchronized boolean due(long items) {
    return itemsWhenShort < 0 || items >= Math.max(2 * itemsWhenShort, itemsWhenShort + BlobCodec.MIN_SAMPLES);
  }

  /** The sample of accounts holding {@code items} items was too small to train on. */
  public synchronized void fellShort(long items) {
    itemsWhenShort = items;
  }
}
