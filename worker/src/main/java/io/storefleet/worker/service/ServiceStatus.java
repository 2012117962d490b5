package io.storefleet.worker.service;

import java.time.Instant;

/**
 * One service as {@code getServices} lists it.
 *
 * @param name the name operators type
 * @param description what it does
 * @param state {@code running} or {@code stopped}
 * @param since when it was last seen entering that state
 */
public record ServiceStatus(String name, String description, String state, Instant since) {

  public boolean running() {
    return "running".equals(state);
  }
}
