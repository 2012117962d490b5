package io.storefleet.worker.service;

/**
 * One backup property as {@code getProperty} shows it.
 *
 * @param name the vendor's name
 * @param value the effective value: the server's own, else the global one, else the default
 * @param source where {@code value} comes from: {@code server}, {@code global}, {@code default}
 *     or {@code configuration} (read-only properties)
 * @param serverValue this server's own value, or null
 * @param globalValue the global value, or null
 * @param defaultValue the built-in default, or null for read-only properties
 * @param expected the accepted values
 * @param about what the property does
 */
public record PropertyValue(
    String name,
    String value,
    String source,
    String serverValue,
    String globalValue,
    String defaultValue,
    String expected,
    String about) {

  /** The value a server uses when {@code scope} decides: the effective one, or the global layer's. */
  public String valueAt(PropertyScope scope) {
    if (scope == PropertyScope.SERVER || "configuration".equals(source)) {
      return value;
    }
    return globalValue != null ? globalValue : defaultValue;
  }
}
