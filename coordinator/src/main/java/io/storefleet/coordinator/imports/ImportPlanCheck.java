package io.storefleet.coordinator.imports;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a planned import before any part is sent, and turns each part into its
 * doExternalRestore command line. What the coordinator cannot see (the sources' contents) each
 * server checks when its part is queued; what it can see (the shape of the plan, names given
 * twice) is refused here.
 */
final class ImportPlanCheck {
  /** Parameters each part sets itself, not given for the whole plan. */
  private static final Set<String> PER_PART =
      Set.of("source_path", "accounts", "domains", "input_file", "plan", "plan_part");

  private ImportPlanCheck() {}

  /** Each part's command line ({@code doExternalRestore <source> ...}), in part order. */
  static List<List<String>> commands(ImportPlan plan, String planId) {
    return parts(plan, planId).stream().map(Part::args).toList();
  }

  /** Each part's command, parsed once here and routed from that, in part order. */
  static List<ParsedCommand> parsed(ImportPlan plan, String planId) {
    return parts(plan, planId).stream().map(Part::command).toList();
  }

  /** A part's command line and the command it parses to. */
  private record Part(List<String> args, ParsedCommand command) {}

  private static List<Part> parts(ImportPlan plan, String planId) {
    String kind = plan.kind() == null ? "" : plan.kind().toLowerCase(Locale.ROOT);
    if (!kind.equals(ImportPlan.MIRROR) && !kind.equals(ImportPlan.COMPOSITE)) {
      throw bad("a planned import has kind 'mirror' (each source whole onto its own server) or 'composite' (domains"
          + " or accounts spread over servers), not '" + plan.kind() + "'");
    }
    if (plan.parts().isEmpty()) {
      throw bad("the plan has no parts; give {\"server\", \"sourcePath\"} for each (plus \"accounts\" or \"domains\""
          + " in a composite plan)");
    }
    for (String p : plan.params().keySet()) {
      if (PER_PART.contains(p.toLowerCase(Locale.ROOT))) {
        throw bad("parameter " + p + " belongs to a part, not to the whole plan; set it in the parts");
      }
    }
    for (int i = 0; i < plan.parts().size(); i++) {
      ImportPart part = plan.parts().get(i);
      if (blank(part.server()) || blank(part.sourcePath())) {
        throw bad("part " + (i + 1) + " needs a server and a sourcePath");
      }
    }
    if (kind.equals(ImportPlan.MIRROR)) {
      mirror(plan.parts());
    } else {
      composite(plan.parts());
    }
    CommandParser parser = new CommandParser();
    List<Part> out = new ArrayList<>();
    int n = plan.parts().size();
    for (int i = 0; i < n; i++) {
      ImportPart part = plan.parts().get(i);
      List<String> args = new ArrayList<>(List.of("doExternalRestore", part.sourcePath()));
      if (!part.accounts().isEmpty()) {
        args.addAll(List.of("accounts", String.join(",", part.accounts())));
      }
      if (!part.domains().isEmpty()) {
        args.addAll(List.of("domains", String.join(",", part.domains())));
      }
      plan.params().forEach((k, v) -> args.addAll(List.of(k, v)));
      args.addAll(List.of("plan", planId, "plan_part", (i + 1) + "/" + n));
      out.add(new Part(List.copyOf(args), parser.parse(Module.BACKUP, args)));
    }
    return out;
  }

  /** Each source whole, onto its own server: as many servers as sources. */
  private static void mirror(List<ImportPart> parts) {
    Set<String> servers = new HashSet<>();
    Set<String> sources = new HashSet<>();
    for (int i = 0; i < parts.size(); i++) {
      ImportPart p = parts.get(i);
      if (!p.whole()) {
        throw bad("part " + (i + 1) + " of a mirror plan names accounts or domains; a mirror import takes each source"
            + " whole. Use kind 'composite' to spread accounts or domains");
      }
      if (!servers.add(p.server().toLowerCase(Locale.ROOT))) {
        throw bad("server " + p.server() + " takes two parts of a mirror plan; in a mirror import each export goes to"
            + " a server of its own");
      }
      if (!sources.add(p.sourcePath())) {
        throw bad("source " + p.sourcePath() + " appears twice in a mirror plan; each source goes to one server");
      }
    }
  }

  /** Nothing of one source may go to two servers: an account would exist twice in the cluster. */
  private static void composite(List<ImportPart> parts) {
    Map<String, Map<String, Integer>> claimed = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      ImportPart p = parts.get(i);
      Map<String, Integer> mine = claimed.computeIfAbsent(p.sourcePath(), k -> new HashMap<>());
      // What the part takes: the named accounts (within its domains, if it names both), else its
      // domains, else the whole source.
      List<String> keys = new ArrayList<>();
      p.accounts().forEach(a -> keys.add(a.trim().toLowerCase(Locale.ROOT)));
      if (keys.isEmpty()) {
        p.domains().forEach(d -> keys.add("@" + d.trim().toLowerCase(Locale.ROOT)));
      }
      if (keys.isEmpty()) {
        keys.add("*");
      }
      for (String key : keys) {
        for (Map.Entry<String, Integer> e : mine.entrySet()) {
          if (e.getValue() != i && overlap(key, e.getKey())) {
            throw bad("parts " + (e.getValue() + 1) + " and " + (i + 1) + " both take " + describe(overlapOf(key,
                e.getKey())) + " from " + p.sourcePath() + "; each account of a source goes to one server");
          }
        }
      }
      int part = i;
      keys.forEach(k -> mine.putIfAbsent(k, part));
    }
  }

  private static boolean overlap(String a, String b) {
    if (a.equals("*") || b.equals("*") || a.equals(b)) {
      return true;
    }
    return (a.startsWith("@") && b.endsWith(a)) || (b.startsWith("@") && a.endsWith(b));
  }

  private static String overlapOf(String a, String b) {
    if (a.equals("*")) {
      return b;
    }
    if (b.equals("*")) {
      return a;
    }
    return a.startsWith("@") ? b : a;
  }

  private static String describe(String key) {
    if (key.equals("*")) {
      return "everything";
    }
    return key.startsWith("@") ? "domain " + key.substring(1) : "account " + key;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static RuntimeException bad(String message) {
    return ErrorCode.BAD_VALUE.exception("import plan: " + message);
  }
}
