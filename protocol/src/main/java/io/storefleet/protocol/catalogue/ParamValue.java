package io.storefleet.protocol.catalogue;

import java.util.Map;
import java.util.Objects;

/**
 * A condition on one parameter's value, e.g. {@code scope = global}: compared case-insensitively
 * with the value given, or the parameter's default when it was not given.
 */
public record ParamValue(String param, String value) {

  public ParamValue {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(value, "value");
  }

  /** Whether {@code values} (given values; defaults are taken from {@code spec}) meet it. */
  public boolean matches(CommandSpec spec, Map<String, String> values) {
    String v = values.get(param);
    if (v == null) {
      v = spec.param(param).map(ParamSpec::defaultValue).orElse(null);
    }
    return v != null && v.trim().equalsIgnoreCase(value);
  }

  @Override
  public String toString() {
    return param + " " + value;
  }
}
