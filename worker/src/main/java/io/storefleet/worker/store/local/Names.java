package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.DirectoryNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Checks and normalizes what callers pass in; every failure is a BAD_VALUE naming the value. */
final class Names {
  static final List<String> FLAGS = List.of("seen", "answered", "flagged", "draft", "deleted");
  static final Set<String> VIEWS = Set.of("message", "contact", "appointment", "task", "document");
  private static final String RIGHTS = "rwidxapfc";

  private Names() {}

  static String domain(String name) {
    return DirectoryNames.domain(name);
  }

  /** A lower-case {@code local@domain} address. */
  static String address(String name) {
    return DirectoryNames.address(name);
  }

  static String domainOf(String address) {
    return DirectoryNames.domainOf(address);
  }

  static String cos(String name) {
    return DirectoryNames.cos(name);
  }

  /** The names along a folder path; a missing leading slash is tolerated, the root has none. */
  static List<String> path(String path) {
    if (path == null || path.isBlank()) {
      throw ErrorCode.BAD_VALUE.exception("a folder path is required, e.g. /Inbox/Projects");
    }
    List<String> names = new ArrayList<>();
    String trimmed = path.trim();
    String inner = trimmed.replaceAll("^/+", "").replaceAll("/+$", "");
    if (inner.isEmpty()) {
      return names;
    }
    for (String n : inner.split("/", -1)) {
      if (n.isBlank() || n.equals(".") || n.equals("..") || n.chars().anyMatch(Character::isISOControl)) {
        throw ErrorCode.BAD_VALUE.exception(
            "folder path '" + path + "' has an empty or invalid name '" + n + "'; use e.g. /Inbox/Projects");
      }
      names.add(n.trim());
    }
    return names;
  }

  static String view(String view) {
    String v = view == null || view.isBlank() ? "message" : view.trim().toLowerCase(Locale.ROOT);
    if (!VIEWS.contains(v)) {
      throw ErrorCode.BAD_VALUE.exception("folder view '" + view + "' is unknown; use one of " + new TreeSet<>(VIEWS));
    }
    return v;
  }

  static Set<String> flags(Set<String> flags) {
    Set<String> out = new TreeSet<>();
    for (String f : flags == null ? Set.<String>of() : flags) {
      String k = f == null ? "" : f.trim().toLowerCase(Locale.ROOT);
      if (!FLAGS.contains(k)) {
        throw ErrorCode.BAD_VALUE.exception(
            "flag '" + f + "' is unknown; the flags are " + String.join(", ", FLAGS));
      }
      out.add(k);
    }
    return out;
  }

  static Set<String> tags(Set<String> tags) {
    Set<String> out = new TreeSet<>();
    for (String t : tags == null ? Set.<String>of() : tags) {
      if (t == null || t.isBlank() || t.chars().anyMatch(Character::isISOControl)) {
        throw ErrorCode.BAD_VALUE.exception("tag name '" + t + "' is empty or has control characters");
      }
      out.add(t.trim());
    }
    return out;
  }

  static String rights(String rights) {
    String r = rights == null ? "" : rights.trim().toLowerCase(Locale.ROOT);
    if (r.isEmpty() || r.chars().anyMatch(c -> RIGHTS.indexOf(c) < 0)) {
      throw ErrorCode.BAD_VALUE.exception(
          "rights '" + rights + "' are invalid; use letters of " + RIGHTS + ", e.g. r, rw or rwidx"
              + " (revoke the grant to remove all rights)");
    }
    return r;
  }

  static Map<String, String> attributes(Map<String, String> attributes) {
    Map<String, String> out = new TreeMap<>();
    if (attributes != null) {
      attributes.forEach((k, v) -> {
        if (k == null || k.isBlank() || v == null) {
          throw ErrorCode.BAD_VALUE.exception("account attribute '" + k + "' has no name or no value");
        }
        out.put(k, v);
      });
    }
    return out;
  }
}
