package io.storefleet.worker.metrics;

import io.storefleet.fabric.metrics.MetricFamily;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.protocol.wire.ServerHealth;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.store.MailStore;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A worker's meters: the queue's ({@link OperationMetrics}), the notifications'
 * ({@link NotificationMetrics}), and the gauges that need the disk or the scanner's lock, which a
 * thread of its own samples ({@link #LAG_PERIOD}, {@link #SURVEY_PERIOD}) and scrapes read from
 * the last sample. Two threads: a survey of a large backup path takes long, and must not hold
 * back the lag samples and the health reports that say the worker is alive.
 */
public final class WorkerMetrics implements Closeable {
  private static final Logger LOG = Logger.getLogger(WorkerMetrics.class.getName());
  /** How often the real-time scanner's lag is read. */
  public static final Duration LAG_PERIOD = Duration.ofSeconds(15);
  /** How often the backup path is surveyed; it reads every account's logs. */
  public static final Duration SURVEY_PERIOD = Duration.ofMinutes(5);

  private final String server;
  private final OperationMetrics operations;
  private final NotificationMetrics notifications;
  private final CoverageSurvey survey;
  private final ScannerLag lagReader;
  private final ScheduledExecutorService thread;
  private final Clock clock;
  private volatile CoverageSurvey.Coverage coverage;
  private volatile ScannerLag.Lag lag;
  private volatile Consumer<ServerHealth> reports = h -> {};

  public WorkerMetrics(NodeMetrics metrics, String server, BackupEngine engine, RealtimeScanner scanner,
      MailStore store, Clock clock) {
    this.server = server;
    this.clock = clock;
    this.operations = new OperationMetrics(metrics, server);
    this.notifications = new NotificationMetrics(metrics, server);
    this.survey = new CoverageSurvey(engine, clock);
    this.lagReader = new ScannerLag(scanner, store, clock);
    this.thread = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "storefleet-metrics-" + server);
      t.setDaemon(true);
      return t;
    });
    coverageGauge(metrics, MetricFamily.BACKUP_PATH_SIZE, c -> c.pathBytes());
    coverageGauge(metrics, MetricFamily.BACKUP_PATH_FREE, c -> c.freeBytes());
    coverageGauge(metrics, MetricFamily.BACKUP_PATH_FILESYSTEM_SIZE, c -> c.filesystemBytes());
    coverageGauge(metrics, MetricFamily.BLOB_DEDUP_RATIO, CoverageSurvey.Coverage::dedupRatio);
    coverageGauge(metrics, MetricFamily.SMARTSCAN_LAST_SUCCESS,
        c -> c.lastSmartScan() == null ? 0 : c.lastSmartScan().toEpochMilli() / 1000.0);
    coverageGauge(metrics, MetricFamily.ACCOUNTS_NOT_BACKED_UP, c -> c.accountsNotBackedUp());
    coverageGauge(metrics, MetricFamily.ACCOUNTS_UNCERTAIN, c -> c.accountsUncertain());
    coverageGauge(metrics, MetricFamily.COVERAGE_SURVEY_TIMESTAMP, c -> c.at().toEpochMilli() / 1000.0);
    lagGauge(metrics, MetricFamily.REALTIME_LAG_ENTRIES, l -> l.entries());
    lagGauge(metrics, MetricFamily.REALTIME_LAG, ScannerLag.Lag::seconds);
    lagGauge(metrics, MetricFamily.REALTIME_RUNNING, l -> l.running() ? 1 : 0);
  }

  private void coverageGauge(NodeMetrics m, MetricFamily f, ToDoubleFunction<CoverageSurvey.Coverage> fn) {
    m.gauge(f, this, w -> w.coverage == null ? Double.NaN : fn.applyAsDouble(w.coverage), server);
  }

  private void lagGauge(NodeMetrics m, MetricFamily f, ToDoubleFunction<ScannerLag.Lag> fn) {
    m.gauge(f, this, w -> w.lag == null ? Double.NaN : fn.applyAsDouble(w.lag), server);
  }

  /** Told of every change of an operation, after the queue's log has it. */
  public OperationMetrics operations() {
    return operations;
  }

  /** Where notice deliveries are counted. */
  public NotificationMetrics notifications() {
    return notifications;
  }

  /**
   * Tells {@code to} the server's health after every sample (on the metrics thread, every
   * {@link #LAG_PERIOD}): the readings the gauges show, so the cluster's view and the metrics come
   * from one source. Set before {@link #start()}.
   */
  public void reportTo(Consumer<ServerHealth> to) {
    this.reports = to;
  }

  /** What the last samples read, and the last SmartScan that ended. */
  public ServerHealth health() {
    CoverageSurvey.Coverage c = coverage;
    ScannerLag.Lag l = lag;
    return new ServerHealth(clock.instant(), c == null ? null : c.pathBytes(), c == null ? null : c.at(),
        operations.lastSmartScan(), l == null ? null : l.entries(), l == null ? null : l.seconds(),
        l == null ? null : l.running());
  }

  /** Starts sampling: the first survey and lag reading at once, then periodically. */
  public void start() {
    // Each survey is reported when it ends, so the backup path's size shows without waiting for a lag sample.
    thread.scheduleWithFixedDelay(() -> {
      surveyNow();
      report();
    }, 0, SURVEY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(() -> {
      sampleLag();
      report();
    }, 0, LAG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Samples everything now, on the calling thread (which may block on the disk); for tests and tools. */
  public void refresh() {
    sampleLag();
    surveyNow();
    report();
  }

  private synchronized void report() {
    try {
      reports.accept(health());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "health of " + server + " not reported: " + e.getMessage(), e);
    }
  }

  private void sampleLag() {
    try {
      lag = lagReader.sample();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "real-time scanner lag of " + server + " not read: " + e.getMessage(), e);
    }
  }

  private void surveyNow() {
    try {
      coverage = survey.run();
    } catch (Exception e) {
      // The gauges keep the last survey's values; their timestamp shows how old they are.
      LOG.log(Level.WARNING, "backup path of " + server + " not surveyed for metrics: " + e.getMessage(), e);
    }
  }

  /** Stops sampling, and waits for a survey under way, before the backup path closes. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
