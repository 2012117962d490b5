package io.storefleet.worker.service;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The manual's scan scheduling: a SmartScan every night at {@code ZxBackup_SmartScanTime}, and
 * on {@code ZxBackup_PurgeDay} a purge queued right after it; nothing while
 * {@code ZxBackup_ScanScheduling} is false or the service is stopped.
 *
 * <p>Each night that is handled (queued, or skipped because scheduling was off) is recorded in a
 * small log, so a restart neither repeats a night nor forgets one: if the worker was down when a
 * SmartScan was due, the first {@link #tick} after the start queues it once, however many nights
 * were missed, with the purge if a missed night was the purge day.
 */
public final class ScanScheduler implements WorkerService, Closeable {
  public static final String NAME = "scheduler";
  private static final Logger LOG = Logger.getLogger(ScanScheduler.class.getName());
  private static final long PERIOD_SECONDS = 30;
  private static final int COMPACT_AFTER = 1000;

  /**
   * One handled night.
   *
   * @param night the date the SmartScan time fell on
   * @param slot that SmartScan time as an instant
   * @param submitted whether operations were queued (false: scheduling was off, or first start)
   * @param at when it was handled
   */
  record Night(LocalDate night, Instant slot, boolean submitted, Instant at) {}

  private final Path file;
  private final BackupProperties props;
  private final Clock clock;
  private final Submitter submitter;
  private final Object lifecycle = new Object();
  private AppendLog log;
  private Night last;
  private volatile ScheduledExecutorService timer;

  private ScanScheduler(Path file, BackupProperties props, Clock clock, Submitter submitter) {
    this.file = file;
    this.props = props;
    this.clock = clock;
    this.submitter = submitter;
  }

  /**
   * Opens the scheduler with the nights recorded in {@code stateFile}; it does nothing until
   * {@link #start()}.
   */
  public static ScanScheduler open(Path stateFile, BackupProperties props, Clock clock, Submitter submitter)
      throws IOException {
    ScanScheduler s = new ScanScheduler(stateFile, props, clock, submitter);
    AppendLog log = AppendLog.open(stateFile);
    List<String> recovered = log.recovered();
    for (int i = recovered.size() - 1; i >= 0 && s.last == null; i--) {
      try {
        s.last = Json.decode(recovered.get(i), Night.class);
      } catch (RuntimeException e) {
        // A record this version cannot read (a newer one wrote it) must not stop the worker.
        LOG.warning("ignoring scheduler record in " + stateFile + ": " + recovered.get(i));
      }
    }
    if (recovered.size() > COMPACT_AFTER) {
      log.close();
      AppendLog.rewrite(stateFile, List.of(recovered.get(recovered.size() - 1)));
      log = AppendLog.open(stateFile);
    }
    s.log = log;
    return s;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "queues the nightly SmartScan at " + props.smartScanTime() + " (" + clock.getZone().getId()
        + ") and the purge on "
        + props.purgeDay().map(d -> d.name().toLowerCase(Locale.ROOT)).orElse("no day")
        + (props.scanScheduling() ? "" : " (ZxBackup_ScanScheduling is false: nothing is queued)");
  }

  /** Starts checking the time every 30 s, the first time 30 s from now. */
  @Override
  public void start() {
    synchronized (lifecycle) {
      if (timer != null) {
        return;
      }
      ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread th = new Thread(r, "storefleet-scan-scheduler");
        th.setDaemon(true);
        return th;
      });
      timer = t;
      t.scheduleWithFixedDelay(this::tickSafely, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService t;
    synchronized (lifecycle) {
      t = timer;
      timer = null;
    }
    if (t == null) {
      return;
    }
    // No interrupt: a tick interrupted in a log write would close the log's channel.
    t.shutdown();
    try {
      if (!t.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warning("scan scheduler tick still running after 10 s; it ends on its own");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean running() {
    return timer != null;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // An exception would cancel the periodic task for good.
      LOG.log(Level.WARNING, "scan scheduler tick failed; it is tried again in " + PERIOD_SECONDS + " s", e);
    }
  }

  /**
   * Queues the SmartScan (and the purge) of the latest night whose time has passed, if that night
   * was not handled yet. Does nothing while the service is stopped.
   *
   * @return the uuids of the operations queued, empty if none
   */
  public synchronized List<String> tick() {
    if (!running()) {
      return List.of();
    }
    ZonedDateTime now = ZonedDateTime.now(clock);
    LocalTime at = props.smartScanTime();
    LocalDate night = NightlySchedule.latestNight(now, at);
    Instant slot = night.atTime(at).atZone(clock.getZone()).toInstant();
    if (last == null) {
      // First start ever: the worker was not there for earlier nights, so none was missed.
      record(new Night(night, slot, false, now.toInstant()));
      return List.of();
    }
    if (!night.isAfter(last.night())) {
      return List.of();
    }
    if (!props.scanScheduling()) {
      record(new Night(night, slot, false, now.toInstant()));
      return List.of();
    }
    boolean purge = NightlySchedule.purgeDue(last.night(), night, props.purgeDay());
    List<String> queued = new ArrayList<>();
    // Queue first, record second: a crash in between repeats one SmartScan, which is harmless,
    // while the other order could lose a night.
    queued.add(submitter.submitWithDefaults(BackupCommand.DO_SMART_SCAN));
    if (purge) {
      try {
        queued.add(submitter.submitWithDefaults(BackupCommand.DO_PURGE));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the weekly purge of " + night + " could not be queued; run doPurge by hand", e);
      }
    }
    record(new Night(night, slot, true, now.toInstant()));
    LOG.info("scheduled scans of " + night + " queued: " + queued);
    return queued;
  }

  private void record(Night n) {
    last = n;
    try {
      log.append(Json.encode(n));
    } catch (IOException e) {
      // This process still knows the night is done; only a restart could repeat it.
      LOG.log(Level.WARNING, "cannot record the scheduled night " + n.night() + " in " + file, e);
    }
  }

  /** The last night handled (queued or skipped), if any. */
  public synchronized Optional<LocalDate> lastNight() {
    return Optional.ofNullable(last).map(Night::night);
  }

  @Override
  public void close() throws IOException {
    stop();
    synchronized (this) {
      log.close();
    }
  }
}
