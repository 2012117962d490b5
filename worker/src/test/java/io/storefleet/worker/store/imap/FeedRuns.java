package io.storefleet.worker.store.imap;

/** Runs an imap store's change feed once, sweep included, for benchmarks outside this package. */
public final class FeedRuns {
  /** What the run did: whether it swept, how many accounts it passed. */
  public record Result(boolean swept, int passed) {}

  private FeedRuns() {}

  public static Result sweepNow(ImapMailStore store) {
    ChangeFeed feed = store.changeFeed();
    feed.sweepNext();
    ChangeFeed.Run run = feed.runDue();
    return new Result(run.swept(), run.passed().size());
  }
}
