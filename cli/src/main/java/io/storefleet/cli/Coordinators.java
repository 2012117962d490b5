package io.storefleet.cli;

import java.util.ArrayList;
import java.util.List;

/** Coordinator URLs as operators give them: repeated {@code --url} flags, each a comma list. */
final class Coordinators {
  private Coordinators() {}

  /** The URLs of a comma list, blanks dropped, in order, each once. */
  static List<String> parse(String commaList) {
    List<String> out = new ArrayList<>();
    add(out, commaList);
    return out;
  }

  /** Adds the URLs of a comma list to {@code into}, checking each. */
  static void add(List<String> into, String commaList) {
    if (commaList == null) {
      return;
    }
    for (String part : commaList.split(",")) {
      String u = part.trim();
      if (u.isEmpty()) {
        continue;
      }
      if (!u.startsWith("https://") && !u.startsWith("http://")) {
        throw new CliUsageException("coordinator URL '" + u + "' needs https:// (or http:// on loopback), e.g."
            + " https://coord1.example:8080");
      }
      if (!into.contains(u)) {
        into.add(u);
      }
    }
  }
}
