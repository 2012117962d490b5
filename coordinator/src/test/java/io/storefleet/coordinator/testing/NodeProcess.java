package io.storefleet.coordinator.testing;

import java.util.concurrent.TimeUnit;

/** A storefleet process started by a test, and the faults a test does to it. */
public abstract class NodeProcess implements AutoCloseable {
  private final Process process;

  NodeProcess(Process process) {
    this.process = process;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the process stops answering, as in a long GC pause or a stalled VM. */
  public void pause() throws Exception {
    JavaMain.signal(process, "STOP");
  }

  /** SIGCONT: the paused process runs on where it stopped. */
  public void resume() throws Exception {
    JavaMain.signal(process, "CONT");
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
  }
}
