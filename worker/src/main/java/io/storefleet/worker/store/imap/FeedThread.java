package io.storefleet.worker.store.imap;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs the change feed once a second on a daemon thread of its own, from start to stop. */
final class FeedThread {
  private static final Logger LOG = Logger.getLogger(FeedThread.class.getName());
  private static final long PERIOD_MILLIS = 1000;

  private enum State { LATENT, STARTED, STOPPED }

  private final ChangeFeed feed;
  private final String server;
  private State state = State.LATENT;
  private ScheduledExecutorService thread;

  FeedThread(ChangeFeed feed, String server) {
    this.feed = feed;
    this.server = server;
  }

  synchronized void start() {
    if (state != State.LATENT) {
      throw new IllegalStateException("the change feed of " + server + " is " + state + "; it starts once");
    }
    state = State.STARTED;
    thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "storefleet-imap-change-feed");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::runOnce, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    try {
      feed.runDue();
    } catch (RuntimeException e) {
      // doveadm or the change log unreadable: logged, and the next run tries again.
      LOG.log(Level.WARNING, "the change feed of IMAP server " + server + " failed: " + e.getMessage(), e);
    }
  }

  synchronized void stop() {
    if (state == State.STARTED) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    state = State.STOPPED;
  }
}
