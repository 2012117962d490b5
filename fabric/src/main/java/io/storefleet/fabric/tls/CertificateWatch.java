package io.storefleet.fabric.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rotation without a restart: every period it reads a {@link PemFiles} set again and, when the
 * contents changed and check out, hands them to the TLS endpoint that uses them (new connections
 * get the new certificate; open ones keep theirs). A set that does not check out is logged and
 * left unused: the previous certificate stays in service. It also warns, once a day, when the
 * certificate in use or a trusted CA is less than {@link CertificateFacts#WARN_BEFORE} from its end.
 */
public final class CertificateWatch {
  private static final Logger LOG = Logger.getLogger(CertificateWatch.class.getName());

  private final Vertx vertx;
  private final String what;
  private final PemFiles files;
  private final Clock clock;
  private final Function<PemFiles.Loaded, Future<?>> apply;
  private volatile PemFiles.Loaded current;
  private volatile String lastRefusal;
  private long lastWarningDay = Long.MIN_VALUE;
  private long timer = -1;

  /**
   * @param what names the endpoint in log lines, e.g. "event bus" or "HTTP API"
   * @param initial the set the endpoint started with
   * @param apply installs a new set in the endpoint
   */
  public CertificateWatch(Vertx vertx, String what, PemFiles files, Clock clock, PemFiles.Loaded initial,
      Function<PemFiles.Loaded, Future<?>> apply) {
    this.vertx = vertx;
    this.what = what;
    this.files = files;
    this.clock = clock;
    this.current = initial;
    this.apply = apply;
    warnIfExpiring();
  }

  /** Checks the files every {@code period}. */
  public CertificateWatch start(Duration period) {
    // A failure here is already logged and kept in lastRefusal (checkNow).
    timer = vertx.setPeriodic(period.toMillis(), id -> checkNow());
    return this;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The certificate in use. */
  public CertificateFacts certificate() {
    return current.leaf();
  }

  /** The CA certificates trusted, empty where none are configured. */
  public java.util.List<CertificateFacts> authorities() {
    return current.authorities();
  }

  /** Why the last changed set was not used, or null if none was refused since the last change used. */
  public String lastRefusal() {
    return lastRefusal;
  }

  /** Reads the files now; completes with true if a changed set was put in service. */
  public Future<Boolean> checkNow() {
    return vertx.<PemFiles.Loaded>executeBlocking(() -> files.load(clock), false)
        .recover(e -> {
          refused("its files do not check out: " + e.getMessage());
          return Future.succeededFuture(null);
        })
        .compose(loaded -> {
          if (loaded == null || loaded.sameFilesAs(current)) {
            warnIfExpiring();
            return Future.succeededFuture(false);
          }
          // Installing can fail (e.g. the event bus's internals moved in another Vert.x version):
          // said here, as the periodic check drops the result.
          return apply.apply(loaded).onFailure(e -> refused("installing its changed files failed: " + e.getMessage()))
              .map(x -> {
                PemFiles.Loaded before = current;
                current = loaded;
                lastRefusal = null;
                LOG.info("the " + what + " now uses the certificate " + loaded.leaf().subject() + " (until "
                    + loaded.leaf().notAfter() + ", sha256 " + loaded.leaf().sha256() + "), replacing "
                    + before.leaf().sha256());
                warnIfExpiring();
                return true;
              });
        });
  }

  private void refused(String why) {
    if (!why.equals(lastRefusal)) {
      LOG.log(Level.WARNING, "the " + what + " keeps its certificate " + current.leaf().subject() + ": " + why);
    }
    lastRefusal = why;
  }

  private synchronized void warnIfExpiring() {
    long day = clock.instant().getEpochSecond() / 86_400;
    if (day == lastWarningDay) {
      return;
    }
    boolean warned = warn(current.leaf(), "certificate " + files.cert());
    for (CertificateFacts ca : current.authorities()) {
      warned |= warn(ca, "CA certificate in " + files.ca());
    }
    if (warned) {
      lastWarningDay = day;
    }
  }

  private boolean warn(CertificateFacts c, String where) {
    if (!c.expiresSoon(clock)) {
      return false;
    }
    LOG.warning("the " + what + " " + where + " (" + c.subject() + ") expires on " + c.notAfter() + ", in "
        + c.daysLeft(clock) + " days; rotate it (docs/security.md, \"Rotating secrets\")");
    return true;
  }
}
