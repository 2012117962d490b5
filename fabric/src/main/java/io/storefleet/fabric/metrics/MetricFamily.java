package io.storefleet.fabric.metrics;

import java.time.Duration;
import java.util.List;

/**
 * Every storefleet metric family, in one place: its name, type, base unit, help text and label
 * names. A new metric is one constant here, one line in docs/metrics.md (a test compares the two)
 * and the call that records it through {@link NodeMetrics}. Labels take bounded values only:
 * server ids, catalogued command names, enum values; never uuids or account names.
 */
public enum MetricFamily {
  // Operations (workers).
  /** Operations accepted into the server's queue. */
  OPERATIONS_SUBMITTED(Type.COUNTER, "storefleet.operations.submitted", null,
      "Operations accepted into the server's queue", "server", "command"),
  /** Operations that reached an end state (SUCCEEDED, FAILED, STOPPED, REMOVED, INTERRUPTED). */
  OPERATIONS_ENDED(Type.COUNTER, "storefleet.operations.ended", null,
      "Operations that reached an end state", "server", "command", "state"),
  /** Running time of operations that ran (from RUNNING to their end). */
  OPERATION_DURATION(Type.HISTOGRAM, "storefleet.operation.duration", "seconds",
      "Running time of operations, from start to end", "server", "command"),
  /** Operations queued or running on the server now. */
  QUEUE_DEPTH(Type.GAUGE, "storefleet.queue.depth", null,
      "Operations queued or running on the server", "server"),

  // Items and bytes (workers; from the result blocks of operations that ended).
  SCANNED_ITEMS(Type.COUNTER, "storefleet.scanned.items", null,
      "Items compared with the backup by SmartScans and account scans", "server"),
  SCANNED_BYTES(Type.COUNTER, "storefleet.scanned", "bytes",
      "Bytes of item content read from the mail store by scans", "server"),
  STORED_ITEMS(Type.COUNTER, "storefleet.stored.items", null,
      "Item states (new, changed, deleted) recorded in the backup by scans", "server"),
  STORED_BYTES(Type.COUNTER, "storefleet.stored", "bytes",
      "Bytes of new blobs written to the backup path by scans (after compression)", "server"),
  RESTORED_ITEMS(Type.COUNTER, "storefleet.restored.items", null,
      "Items written back to the mail store by restores", "server"),
  RESTORED_BYTES(Type.COUNTER, "storefleet.restored", "bytes",
      "Bytes of items written back to the mail store by item and account restores", "server"),
  UNRESTORED_ITEMS(Type.COUNTER, "storefleet.unrestored.items", null,
      "Items restores could not write back (listed in the operation's result)", "server"),

  // Backup path and coverage (workers; from a periodic survey on a worker thread).
  BLOB_DEDUP_RATIO(Type.GAUGE, "storefleet.blob.dedup", "ratio",
      "Bytes of the live item states that have a blob over the raw bytes of the distinct blobs", "server"),
  BACKUP_PATH_SIZE(Type.GAUGE, "storefleet.backup.path.size", "bytes",
      "Bytes of all files under the backup path", "server"),
  BACKUP_PATH_FREE(Type.GAUGE, "storefleet.backup.path.free", "bytes",
      "Bytes usable on the file system of the backup path", "server"),
  BACKUP_PATH_FILESYSTEM_SIZE(Type.GAUGE, "storefleet.backup.path.filesystem.size", "bytes",
      "Bytes of the file system the backup path is on (free / size is how full it is)", "server"),
  SMARTSCAN_LAST_SUCCESS(Type.GAUGE, "storefleet.smartscan.last.success.timestamp", "seconds",
      "Unix time of the last SmartScan that succeeded; 0 when none has", "server"),
  ACCOUNTS_NOT_BACKED_UP(Type.GAUGE, "storefleet.accounts.not.backed.up", null,
      "Live accounts whose backup was last confirmed more than 26 hours ago", "server"),
  ACCOUNTS_UNCERTAIN(Type.GAUGE, "storefleet.accounts.uncertain", null,
      "Accounts marked uncertain: an account scan must run before their backup can be trusted", "server"),
  COHERENCY_PROBLEMS(Type.GAUGE, "storefleet.coherency.problems", null,
      "Problems the last coherency check found; NaN before the first check", "server"),
  COVERAGE_SURVEY_TIMESTAMP(Type.GAUGE, "storefleet.coverage.survey.timestamp", "seconds",
      "Unix time the backup path and coverage gauges were last computed", "server"),

  // Real-time scanner (workers; sampled on a worker thread).
  REALTIME_LAG_ENTRIES(Type.GAUGE, "storefleet.realtime.scanner.lag.entries", null,
      "Journal entries of the mail store the real-time scanner has not recorded yet", "server"),
  REALTIME_LAG(Type.GAUGE, "storefleet.realtime.scanner.lag", "seconds",
      "Age of the oldest journal entry the real-time scanner has not recorded yet; 0 when caught up", "server"),
  REALTIME_RUNNING(Type.GAUGE, "storefleet.realtime.scanner.running", null,
      "1 while the real-time scanner service runs, 0 when it is stopped", "server"),

  // Notifications (workers).
  /** Incremented once per delivery attempt's outcome; channel is mail, digest or webhook. */
  NOTIFICATION_DELIVERIES(Type.COUNTER, "storefleet.notification.deliveries", null,
      "Notification delivery attempts by channel and result", "server", "channel", "result"),

  // Routing (coordinators).
  /** Kind is routed, proxied or broadcast (see RoutingMetrics in the coordinator). */
  ROUTING_DURATION(Type.HISTOGRAM, "storefleet.routing.duration", "seconds",
      "Time from a command's arrival at the coordinator to its answer, by kind of routing", "kind"),
  ROUTING_ERRORS(Type.COUNTER, "storefleet.routing.errors", null,
      "Commands the coordinator answered with an error, by kind of routing and error code", "kind", "code");

  /** How a family is exposed. */
  public enum Type {
    /** Only goes up (until the process restarts); exposed with {@code _total}. */
    COUNTER,
    /** A value sampled at scrape time. */
    GAUGE,
    /** Observations in buckets, exposed as {@code _bucket}, {@code _count}, {@code _sum} (and {@code _max}). */
    HISTOGRAM
  }

  /** Bucket bounds of operation durations: seconds to half a day. */
  static final List<Duration> OPERATION_BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1),
      Duration.ofHours(4), Duration.ofHours(12));
  /** Bucket bounds of routing latency: milliseconds to the default request timeout. */
  static final List<Duration> ROUTING_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(25),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofSeconds(30));

  private final Type type;
  private final String meterName;
  private final String baseUnit;
  private final String help;
  private final List<String> labels;

  MetricFamily(Type type, String meterName, String baseUnit, String help, String... labels) {
    this.type = type;
    this.meterName = meterName;
    this.baseUnit = baseUnit;
    this.help = help;
    this.labels = List.of(labels);
  }

  public Type type() {
    return type;
  }

  /** The Micrometer name (dotted). */
  public String meterName() {
    return meterName;
  }

  /** The base unit, or null for a plain count. */
  public String baseUnit() {
    return baseUnit;
  }

  public String help() {
    return help;
  }

  /** The label names, in the order {@link NodeMetrics} takes their values. */
  public List<String> labels() {
    return labels;
  }

  /** The name Prometheus sees: underscores, the unit, and {@code _total} for counters. */
  public String exposedName() {
    String n = meterName.replace('.', '_') + (baseUnit == null ? "" : "_" + baseUnit);
    return type == Type.COUNTER ? n + "_total" : n;
  }

  List<Duration> buckets() {
    return this == OPERATION_DURATION ? OPERATION_BUCKETS : ROUTING_BUCKETS;
  }
}
