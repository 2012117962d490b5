package io.storefleet.worker.service;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server's backup properties in two layers, {@code global} and {@code server}: the effective
 * value is the server's own if set, else the global one, else the default. Every set is one record
 * appended to an {@link AppendLog}; on reopen the latest record of each layer and name wins.
 * Thread-safe.
 */
public final class BackupProperties implements Closeable {
  private static final Logger LOG = Logger.getLogger(BackupProperties.class.getName());
  /** Records kept before the log is rewritten with only the current values. */
  static final int COMPACT_AFTER = 1000;

  /** One line of the log. */
  record Entry(String scope, String key, String value, Instant at) {}

  private final Path file;
  private final Path backupPath;
  private final Clock clock;
  private final Map<PropertyScope, Map<BackupProperty, Entry>> layers = new EnumMap<>(PropertyScope.class);
  private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
  private AppendLog log;
  private int records;

  private BackupProperties(Path file, Path backupPath, Clock clock) {
    this.file = file;
    this.backupPath = backupPath;
    this.clock = clock;
    for (PropertyScope s : PropertyScope.values()) {
      layers.put(s, new EnumMap<>(BackupProperty.class));
    }
  }

  /**
   * Opens (creating if needed) the properties stored in {@code file}.
   *
   * @param backupPath the worker's backup path, the value of the read-only ZxBackup_DestPath
   */
  public static BackupProperties open(Path file, Path backupPath, Clock clock) throws IOException {
    BackupProperties p = new BackupProperties(file, backupPath, clock);
    p.log = AppendLog.open(file);
    for (String text : p.log.recovered()) {
      p.replay(text);
    }
    p.records = p.log.recovered().size();
    if (p.records > COMPACT_AFTER) {
      p.compact();
    }
    return p;
  }

  private void replay(String text) {
    Entry e;
    try {
      e = Json.decode(text, Entry.class);
      BackupProperty p = BackupProperty.named(e.key());
      PropertyScope scope = PropertyScope.of(e.scope());
      layers.get(scope).put(p, new Entry(scope.word(), p.canonicalName(), p.canonicalValue(e.value()), e.at()));
    } catch (RuntimeException ex) {
      // A record this version cannot use (e.g. written by a newer one) must not stop the worker.
      LOG.log(Level.WARNING, "ignoring property record in " + file + ": " + text + " (" + ex.getMessage() + ")");
    }
  }

  /**
   * Sets a property at one layer, or fails with BAD_VALUE (unknown name, bad value, read-only)
   * or IO_ERROR (the record could not be written; nothing changed).
   */
  public PropertyChange set(String name, String value, PropertyScope scope) {
    BackupProperty p = BackupProperty.named(name);
    String v = p.canonicalValue(value);
    PropertyChange change;
    synchronized (this) {
      String before = effective(p);
      Entry e = new Entry(scope.word(), p.canonicalName(), v, clock.instant());
      append(e);
      layers.get(scope).put(p, e);
      if (++records > COMPACT_AFTER) {
        compact();
      }
      change = new PropertyChange(p.canonicalName(), scope.word(), v, before, effective(p));
    }
    for (BiConsumer<String, String> l : listeners) {
      try {
        l.accept(change.name(), change.effective());
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "a listener of " + change.name() + " failed", ex);
      }
    }
    return change;
  }

  private void append(Entry e) {
    try {
      if (log == null) {
        log = AppendLog.open(file);
      }
      log.append(Json.encode(e));
    } catch (IOException ex) {
      throw ErrorCode.IO_ERROR.exception("cannot write " + file + ": " + ex.getMessage()
          + "; " + e.key() + " keeps its old value");
    }
  }

  /** Rewrites the log with only the current values. A failure here loses nothing: the old log stays. */
  private void compact() {
    List<String> current = new ArrayList<>();
    for (PropertyScope s : PropertyScope.values()) {
      layers.get(s).values().forEach(e -> current.add(Json.encode(e)));
    }
    try {
      log.close();
      AppendLog.rewrite(file, current);
    } catch (IOException ex) {
      LOG.log(Level.WARNING, "cannot compact " + file + "; it keeps growing until the next try", ex);
    }
    try {
      log = AppendLog.open(file);
      records = log.recovered().size();
    } catch (IOException ex) {
      log = null;
      LOG.log(Level.WARNING, "cannot reopen " + file + "; the next set tries again", ex);
    }
  }

  /** Called after every successful set with the property's vendor name and its effective value. */
  public void onChange(BiConsumer<String, String> listener) {
    listeners.add(listener);
  }

  /** One property, or BAD_VALUE naming the known ones. */
  public synchronized PropertyValue get(String name) {
    return value(BackupProperty.named(name));
  }

  /** Every property by vendor name, in a fixed order. */
  public synchronized Map<String, PropertyValue> all() {
    Map<String, PropertyValue> out = new LinkedHashMap<>();
    for (BackupProperty p : BackupProperty.values()) {
      out.put(p.canonicalName(), value(p));
    }
    return Collections.unmodifiableMap(out);
  }

  private PropertyValue value(BackupProperty p) {
    if (p.readOnly()) {
      return new PropertyValue(p.canonicalName(), backupPath.toString(), "configuration", null, null, null,
          p.expected(), p.about());
    }
    String server = layerValue(PropertyScope.SERVER, p);
    String global = layerValue(PropertyScope.GLOBAL, p);
    String source = server != null ? "server" : global != null ? "global" : "default";
    return new PropertyValue(p.canonicalName(), effective(p), source, server, global, p.defaultValue(),
        p.expected(), p.about());
  }

  private String layerValue(PropertyScope scope, BackupProperty p) {
    Entry e = layers.get(scope).get(p);
    return e == null ? null : e.value();
  }

  private synchronized String effective(BackupProperty p) {
    if (p.readOnly()) {
      return backupPath.toString();
    }
    String server = layerValue(PropertyScope.SERVER, p);
    if (server != null) {
      return server;
    }
    String global = layerValue(PropertyScope.GLOBAL, p);
    return global != null ? global : p.defaultValue();
  }

  public boolean realtimeScanner() {
    return Boolean.parseBoolean(effective(BackupProperty.REALTIME_SCANNER));
  }

  public boolean bloblessMode() {
    return Boolean.parseBoolean(effective(BackupProperty.BLOBLESS_MODE));
  }

  /** Days a deleted item is kept; 0 means forever. */
  public int retentionDays() {
    return Integer.parseInt(effective(BackupProperty.DATA_RETENTION_DAYS));
  }

  public boolean scanScheduling() {
    return Boolean.parseBoolean(effective(BackupProperty.SCAN_SCHEDULING));
  }

  /** The nightly SmartScan's time, in the zone of the worker's clock. */
  public LocalTime smartScanTime() {
    return LocalTime.parse(effective(BackupProperty.SMART_SCAN_TIME));
  }

  /** The weekly purge's day, or empty for {@code never}. */
  public Optional<DayOfWeek> purgeDay() {
    return Optional.ofNullable(BackupProperty.day(effective(BackupProperty.PURGE_DAY)));
  }

  /** A property's effective value, by its enum constant. */
  public String effectiveValue(BackupProperty p) {
    return effective(p);
  }

  public Path backupPath() {
    return backupPath;
  }

  @Override
  public synchronized void close() throws IOException {
    if (log != null) {
      log.close();
    }
  }
}
