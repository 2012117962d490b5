package io.storefleet.protocol.parse;

import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Route;
import io.storefleet.protocol.catalogue.RoutingRule;
import io.storefleet.protocol.error.ErrorCode;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command checked against the catalogue: every value valid and in canonical form, defaults
 * filled in.
 *
 * @param spec the catalogued command
 * @param values canonical values by parameter name; optional parameters without a value and
 *     without a default are absent
 * @param defaulted the names of the values that are defaults, not given
 */
public record ParsedCommand(CommandSpec spec, Map<String, String> values, Set<String> defaulted) {

  public ParsedCommand {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    defaulted = Set.copyOf(defaulted);
  }

  /**
   * The values the operator gave, in canonical form, without the defaults: what travels on the
   * wire, so that the worker that runs the command fills in its own defaults and a worker one
   * version older is not sent a parameter it does not know unless the operator used it.
   */
  public Map<String, String> given() {
    Map<String, String> out = new LinkedHashMap<>(values);
    out.keySet().removeAll(defaulted);
    return Collections.unmodifiableMap(out);
  }

  /** Where this request goes for {@code target} (see {@link RoutingRule#route}). */
  public Route route(String target) {
    return RoutingRule.route(spec, values, target);
  }

  /** The command's canonical name. */
  public String name() {
    return spec.name();
  }

  /** Whether the parameter has a value (given or default). */
  public boolean has(String param) {
    return values.containsKey(param);
  }

  /** The canonical text value, or null. */
  public String string(String param) {
    return values.get(param);
  }

  /** A value that must be present. */
  public String required(String param) {
    String v = values.get(param);
    if (v == null) {
      throw ErrorCode.MISSING_PARAMETER.exception(spec.name() + ": parameter " + param + " has no value");
    }
    return v;
  }

  /** A boolean value; false when absent. */
  public boolean bool(String param) {
    return "true".equals(values.get(param));
  }

  /** An integer value, or {@code fallback} when absent. */
  public long integer(String param, long fallback) {
    String v = values.get(param);
    return v == null ? fallback : Long.parseLong(v);
  }

  /**
   * An integer value that must fit an {@code int} (an item id, a count), or {@code fallback} when
   * absent; a larger one is BAD_VALUE rather than cut to its low 32 bits, which would name
   * another item (4294967297 would be item 1).
   */
  public int intValue(String param, int fallback) {
    long v = integer(param, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw ErrorCode.BAD_VALUE.exception(spec.name() + ": " + param + " " + v + " is out of range; give at most "
          + Integer.MAX_VALUE);
    }
    return (int) v;
  }

  /** A list value; empty when absent or {@code all}. */
  public List<String> list(String param) {
    String v = values.get(param);
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("all")) {
      return List.of();
    }
    return Arrays.asList(v.split(","));
  }

  /** A date value, or null when absent. */
  public DateArg date(String param) {
    String v = values.get(param);
    return v == null ? null : DateArg.parse(v);
  }

  /** The account this command is routed by, or null for commands not routed by account. */
  public String routingAccount() {
    return RoutingRule.account(spec, values);
  }
}
