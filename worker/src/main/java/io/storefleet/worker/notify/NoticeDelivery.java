package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.DeliveryState;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.worker.queue.OperationQueue;
import java.io.Closeable;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the notices of a server's operations to the mail relay and the webhooks, on a thread of
 * its own: the queue and the event loops never wait for a relay. The notices themselves, with
 * their delivery state, live in the operation log, so a notice still waiting or retrying when the
 * worker stops is taken up again when it starts; delivery is at least once (a notice being sent
 * when the worker died is sent again). Time comes from the injected clock; {@link #runDue()} is
 * the "run what is due now" hook that the thread calls and tests call directly.
 */
public final class NoticeDelivery implements Closeable {
  private static final Logger LOG = Logger.getLogger(NoticeDelivery.class.getName());
  /** How often the thread looks for due work when nobody wakes it (wall time). */
  private static final long POLL_MILLIS = 1000;

  private enum State { LATENT, STARTED, STOPPED }

  private final String serverId;
  private final Clock clock;
  private final Supplier<NoticeSettings> settings;
  private final Backoff backoff;
  private final MailSender mail;
  private final WebhookSender webhooks;
  private final DeliveryObserver observer;
  private DigestRound digest;
  private final Object signal = new Object();
  private final Object round = new Object();
  private boolean woken;
  private State state = State.LATENT;
  private OperationQueue queue;
  private Thread runner;

  public NoticeDelivery(String serverId, Clock clock, Supplier<NoticeSettings> settings, Backoff backoff,
      MailSender mail, WebhookSender webhooks, DeliveryObserver observer) {
    this.serverId = serverId;
    this.clock = clock;
    this.settings = settings;
    this.backoff = backoff;
    this.mail = mail;
    this.webhooks = webhooks;
    this.observer = observer;
  }

  /**
   * Binds the queue whose notices this delivers and the servers the daily digest covers;
   * {@link #runDue()} works from then on.
   */
  public synchronized void attach(OperationQueue q, DigestPeers peers) {
    if (queue != null) {
      throw new IllegalStateException("notice delivery of server " + serverId + " is already attached to a queue");
    }
    queue = q;
    digest = new DigestRound(serverId, clock, backoff, mail, observer, peers);
  }

  /** This server's side of the digest, for its event-bus endpoint and its peers. */
  public DigestBook book(OperationQueue q) {
    return new DigestBook(serverId, q, backoff, settings, observer);
  }

  /** Starts the delivery thread. */
  public synchronized void start() {
    if (state != State.LATENT || queue == null) {
      throw new IllegalStateException("notice delivery of server " + serverId
          + (queue == null ? " has no queue attached" : " cannot be started twice"));
    }
    state = State.STARTED;
    runner = new Thread(this::loop, "storefleet-notices-" + serverId);
    runner.setDaemon(true);
    runner.start();
  }

  /** Asks the thread to look for due work now; never blocks. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    while (true) {
      synchronized (signal) {
        if (!woken) {
          try {
            signal.wait(POLL_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
      synchronized (this) {
        if (state != State.STARTED) {
          return;
        }
      }
      try {
        runDue();
      } catch (RuntimeException e) {
        // The next round tries again; the notices keep their state on disk.
        LOG.log(Level.WARNING, "notice delivery round of server " + serverId + " failed", e);
      }
    }
  }

  /** Makes every attempt that is due at the clock's time, then the daily digest if it is due. */
  public void runDue() {
    OperationQueue q;
    DigestRound d;
    synchronized (this) {
      q = queue;
      d = digest;
    }
    if (q == null) {
      return;
    }
    synchronized (round) {
      // One round at a time: the thread's and a test's must not send a notice twice.
      Instant now = clock.instant();
      NoticeSettings s = settings.get();
      for (Operation op : q.list(true)) {
        List<Notification> ns = op.notifications();
        for (int i = 0; i < ns.size(); i++) {
          Notification n = ns.get(i);
          if ((n.state() == DeliveryState.PENDING || n.state() == DeliveryState.RETRYING)
              && (n.nextAttemptAt() == null || !n.nextAttemptAt().isAfter(now))) {
            q.updateNotice(op.uuid(), i, attempt(s, op, i, n, now));
          }
        }
      }
      d.run(s, now);
    }
  }

  private Notification attempt(NoticeSettings s, Operation op, int index, Notification n, Instant now) {
    List<String> pending = new ArrayList<>();
    List<String> outcomes = new ArrayList<>(n.outcomes());
    List<String> failing = new ArrayList<>();
    for (String t : n.pending()) {
      Target target = Target.parse(t);
      if (target.kind() == Target.Kind.DIGEST) {
        pending.add(t);
        continue;
      }
      try {
        deliver(s, op, index, n, target);
        outcomes.add("sent " + t);
        observer.delivered(target.kind().label(), DeliveryObserver.Result.SENT);
      } catch (DeliveryFailure f) {
        if (f.temporary()) {
          pending.add(t);
          failing.add(t + ": " + f.getMessage());
          observer.delivered(target.kind().label(), DeliveryObserver.Result.RETRYING);
        } else {
          outcomes.add("failed " + t + ": " + f.getMessage());
          observer.delivered(target.kind().label(), DeliveryObserver.Result.FAILED);
        }
      }
    }
    return Settle.after(n, n.attempts() + 1, pending, outcomes, failing, now, backoff, s.digestTime(), observer);
  }

  private void deliver(NoticeSettings s, Operation op, int index, Notification n, Target target)
      throws DeliveryFailure {
    switch (target.kind()) {
      case MAIL -> {
        if (s.relay() == null) {
          throw new DeliveryFailure(false, RoutedNotices.NOT_MAILED + " any more", null);
        }
        mail.send(s.relay(), target.addresses(), n.subject(), n.text(), n.at(), NoticeJson.reference(op, index));
      }
      case WEBHOOK -> {
        URI url = target.webhookIn(s.webhooks()).orElseThrow(() -> new DeliveryFailure(false,
            "no longer configured (ZxBackup_NotifyWebhooks changed since the notice was made)", null));
        webhooks.post(url, s.webhookSecretFile(), NoticeJson.of(op, index, n));
      }
      case DIGEST -> throw new IllegalStateException("digest targets are sent by the daily digest");
    }
  }

  /** Stops the thread; what was not delivered stays in the operation log for the next start. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
      t = runner;
    }
    wake();
    if (t != null) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
