package io.storefleet.worker.service;

import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.parse.DateText;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Renders properties and services for people. */
final class ServiceText {

  private ServiceText() {}

  /** The properties with the value {@code scope} decides, then every layer. */
  static String properties(Collection<PropertyValue> values, PropertyScope scope) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {
      "PROPERTY", scope == PropertyScope.GLOBAL ? "GLOBAL VALUE" : "VALUE", "SOURCE", "SERVER", "GLOBAL", "DEFAULT",
      "EXPECTED VALUES"});
    for (PropertyValue v : values) {
      String source = scope == PropertyScope.GLOBAL && !"configuration".equals(v.source())
          ? (v.globalValue() != null ? "global" : "default")
          : v.source();
      rows.add(new String[] {
        v.name(), v.valueAt(scope), source, dash(v.serverValue()), dash(v.globalValue()), dash(v.defaultValue()),
        v.expected()});
    }
    return Table.render(rows);
  }

  static String services(List<ServiceStatus> services) {
    if (services.isEmpty()) {
      return "no services\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "STATE", "SINCE", "DESCRIPTION"});
    for (ServiceStatus s : services) {
      rows.add(new String[] {s.name(), s.state(), time(s.since()), s.description()});
    }
    return Table.render(rows);
  }

  private static String dash(String v) {
    return v == null ? "-" : v;
  }

  private static String time(Instant t) {
    return t == null ? "" : DateText.of(t, ZoneId.systemDefault());
  }
}
