package io.storefleet.coordinator.testing;

/** A storefleet process started by a test, and the faults a test does to it. */
public abstract class NodeProcess implements AutoCloseable {
  private final Process process;

  NodeProcess(Process process) {
    this.process = process;
  }

  /** SIGKILL (after SIGCONT, should it be paused): no shutdown hook runs, nothing is flushed. */
  public void kill() {
    JavaMain.end(process);
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

  /** Kills the process, paused or not; a test's failure or interruption ends up here too. */
  @Override
  public void close() {
    kill();
  }
}
