package io.storefleet.worker.service;

/**
 * The outcome of one {@code setProperty}.
 *
 * @param name the property's vendor name
 * @param scope the layer that was set ({@code server} or {@code global})
 * @param value the canonical value that was set
 * @param previous the effective value before
 * @param effective the effective value now; a global set leaves it unchanged where the server has
 *     its own value
 */
public record PropertyChange(String name, String scope, String value, String previous, String effective) {

  public boolean effectiveChanged() {
    return !effective.equals(previous);
  }

  /** Whether the server's own value hides the global value that was just set. */
  public boolean overridden() {
    return !value.equals(effective);
  }
}
