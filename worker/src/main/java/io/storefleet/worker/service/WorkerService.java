package io.storefleet.worker.service;

/**
 * Something that runs inside a worker besides its queue (the real-time scanner, the scan
 * scheduler), listed by {@code getServices} and started and stopped by name. Start and stop may
 * block briefly; call them from a worker thread, never from an event loop.
 */
public interface WorkerService {
  /** Its name as operators type it, e.g. {@code realtime-scanner}. */
  String name();

  /** One line saying what it does. */
  String description();

  /** Starts it; starting a running service does nothing. */
  void start();

  /** Stops it; stopping a stopped service does nothing. */
  void stop();

  boolean running();
}
