package io.storefleet.worker.service;

import io.storefleet.protocol.error.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The services of one worker, started, stopped and listed by name (case-insensitive). Start and
 * stop may block: call them from a worker thread.
 */
public final class WorkerServices {
  public static final String REALTIME_SCANNER = "realtime-scanner";
  private static final Logger LOG = Logger.getLogger(WorkerServices.class.getName());

  private final String serverId;
  private final BackupProperties props;
  private final Clock clock;
  private final Map<String, WorkerService> services = new LinkedHashMap<>();
  private final Map<String, Boolean> seenRunning = new HashMap<>();
  private final Map<String, Instant> since = new HashMap<>();

  public WorkerServices(String serverId, BackupProperties props, Clock clock, List<WorkerService> services) {
    this.serverId = serverId;
    this.props = props;
    this.clock = clock;
    for (WorkerService s : services) {
      String key = s.name().toLowerCase(Locale.ROOT);
      if (this.services.put(key, s) != null) {
        throw new IllegalArgumentException("two services are named " + s.name());
      }
      observe(key, s);
    }
  }

  /** Whether a service of that name exists. */
  public synchronized boolean has(String name) {
    return services.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** Every service, in registration order. */
  public synchronized List<ServiceStatus> list() {
    List<ServiceStatus> out = new ArrayList<>();
    services.forEach((key, s) -> out.add(status(key, s)));
    return out;
  }

  /** One service's status, or NOT_FOUND. */
  public synchronized ServiceStatus status(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    return status(key, find(key));
  }

  /**
   * Starts a service (nothing if it runs). The real-time scanner starts only while
   * ZxBackup_RealTimeScanner is true: CONFLICT otherwise.
   */
  public synchronized ServiceStatus start(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    WorkerService s = find(key);
    checkAllowed(key);
    s.start();
    return status(key, s);
  }

  /** Stops a service (nothing if it is stopped). */
  public synchronized ServiceStatus stop(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    WorkerService s = find(key);
    s.stop();
    return status(key, s);
  }

  /** Stops and starts a service; checked as {@link #start} before anything is stopped. */
  public synchronized ServiceStatus restart(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    WorkerService s = find(key);
    checkAllowed(key);
    s.stop();
    s.start();
    return status(key, s);
  }

  /** Starts every service its properties allow; for the worker's start. A failure is logged and skipped. */
  public synchronized void startEnabled() {
    services.forEach((key, s) -> {
      if (key.equals(REALTIME_SCANNER) && !props.realtimeScanner()) {
        return;
      }
      try {
        s.start();
        observe(key, s);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "service " + s.name() + " did not start on " + serverId, e);
      }
    });
  }

  /** Stops every service; for the worker's shutdown. A failure is logged and skipped. */
  public synchronized void stopAll() {
    services.forEach((key, s) -> {
      try {
        s.stop();
        observe(key, s);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "service " + s.name() + " did not stop cleanly on " + serverId, e);
      }
    });
  }

  private void checkAllowed(String key) {
    if (key.equals(REALTIME_SCANNER) && !props.realtimeScanner()) {
      throw ErrorCode.CONFLICT.exception(
          "service " + REALTIME_SCANNER + " cannot start on server " + serverId
              + " while ZxBackup_RealTimeScanner is false; run 'setProperty ZxBackup_RealTimeScanner true',"
              + " which starts it and queues the SmartScan it needs",
          serverId);
    }
  }

  private WorkerService find(String key) {
    WorkerService s = services.get(key);
    if (s == null) {
      List<String> known = services.values().stream().map(WorkerService::name).toList();
      throw ErrorCode.NOT_FOUND.exception(
          "service " + key + " is not known on server " + serverId + "; known: " + String.join(", ", known),
          serverId);
    }
    return s;
  }

  private ServiceStatus status(String key, WorkerService s) {
    boolean running = observe(key, s);
    return new ServiceStatus(s.name(), s.description(), running ? "running" : "stopped", since.get(key));
  }

  /** Records when a service is first seen in its current state; a service may also stop by itself. */
  private boolean observe(String key, WorkerService s) {
    boolean running = s.running();
    Boolean before = seenRunning.put(key, running);
    if (before == null || before != running) {
      since.put(key, clock.instant());
    }
    return running;
  }
}
