package io.storefleet.worker.service;

/** A service that only remembers whether it runs and how often it was started. */
final class FakeService implements WorkerService {
  private final String name;
  private volatile boolean running;
  int starts;
  int stops;

  FakeService(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "a fake " + name;
  }

  @Override
  public synchronized void start() {
    if (!running) {
      running = true;
      starts++;
    }
  }

  @Override
  public synchronized void stop() {
    if (running) {
      running = false;
      stops++;
    }
  }

  @Override
  public boolean running() {
    return running;
  }
}
