package io.storefleet.coordinator.exports;

import io.storefleet.coordinator.plans.PlannedParts;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a planned export into its parts: one doExport per server that holds accounts of the
 * chosen domains (found in the cluster directory), each into {@code <destinationPath>/<server>}
 * and each naming only the domains its server holds, so that no server refuses a domain it does
 * not have.
 */
final class ExportPlanCheck {
  /** Parameters each part sets itself, not given for the whole plan. */
  private static final Set<String> PER_PART = Set.of("destination_path", "plan", "plan_part");
  private static final String ALL = "all";

  private ExportPlanCheck() {}

  static List<PlannedParts.Part> parts(ExportPlan plan, String planId, List<AccountLocation> accounts) {
    if (plan.destinationPath() == null || plan.destinationPath().isBlank()) {
      throw bad("give destinationPath, an existing folder every server can write to; each server exports into a"
          + " subfolder named after itself");
    }
    Map<String, String> rest = new TreeMap<>();
    String domainsGiven = null;
    for (Map.Entry<String, String> e : plan.params().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (PER_PART.contains(name)) {
        throw bad("parameter " + e.getKey() + " belongs to a part, not to the whole plan; the coordinator sets it");
      }
      if (name.equals("domains")) {
        domainsGiven = e.getValue();
      } else {
        rest.put(e.getKey(), e.getValue());
      }
    }
    Set<String> asked = domains(domainsGiven);
    // Which of the asked domains each server holds accounts of.
    Map<String, Set<String>> byServer = new TreeMap<>();
    Set<String> found = new TreeSet<>();
    for (AccountLocation a : accounts) {
      String domain = domainOf(a.name());
      if (asked.isEmpty() || asked.contains(domain)) {
        byServer.computeIfAbsent(a.server(), k -> new TreeSet<>()).add(domain);
        found.add(domain);
      }
    }
    Set<String> missing = new TreeSet<>(asked);
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception("export plan: no server of the cluster holds an account of "
          + String.join(", ", missing) + "; check the name ('storefleet --host all_servers admin listAccounts'),"
          + " or export a domain without accounts from one server with 'storefleet --host SERVER backup doExport'");
    }
    if (byServer.isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception("export plan: the cluster holds no accounts; there is nothing to export");
    }
    String base = plan.destinationPath().replaceAll("/+$", "");
    CommandParser parser = new CommandParser();
    List<PlannedParts.Part> out = new ArrayList<>();
    int n = byServer.size();
    int i = 0;
    for (Map.Entry<String, Set<String>> e : byServer.entrySet()) {
      i++;
      String dest = base + "/" + e.getKey();
      List<String> args = new ArrayList<>(List.of("doExport", dest));
      if (!asked.isEmpty()) {
        args.addAll(List.of("domains", String.join(",", e.getValue())));
      }
      rest.forEach((k, v) -> args.addAll(List.of(k, v)));
      args.addAll(List.of("plan", planId, "plan_part", i + "/" + n));
      out.add(new PlannedParts.Part(e.getKey(), parser.parse(Module.BACKUP, args), dest + " on " + e.getKey()));
    }
    return out;
  }

  /**
   * Refuses a plan while a live server's account entries are missing from the directory: the
   * parts come from those entries, so such a server (just restarted, still republishing) would
   * be left out of the export without a word. Its own entry says how many accounts it has.
   */
  static void requireEveryLiveServersEntries(List<ServerInfo> servers, List<AccountLocation> accounts) {
    Map<String, Integer> listed = new TreeMap<>();
    for (AccountLocation a : accounts) {
      listed.merge(a.server(), 1, Integer::sum);
    }
    List<String> incomplete = new ArrayList<>();
    for (ServerInfo s : servers) {
      int have = listed.getOrDefault(s.serverId(), 0);
      if (Boolean.TRUE.equals(s.reachable()) && s.accounts() > have) {
        incomplete.add(s.serverId() + " (" + s.accounts() + " account(s), " + have + " in the directory)");
      }
    }
    if (!incomplete.isEmpty()) {
      throw ErrorCode.SERVER_UNAVAILABLE.exception("export plan: the directory does not list every account of "
          + String.join(", ", incomplete) + "; the server is still publishing them (it restarts or rejoins), so its"
          + " part cannot be planned yet. Retry in a minute; 'storefleet servers' shows the servers");
    }
  }

  /** The domains asked for, lower case; empty for every domain. */
  private static Set<String> domains(String given) {
    Set<String> out = new TreeSet<>();
    if (given == null) {
      return out;
    }
    for (String d : given.split(",")) {
      String v = d.trim().toLowerCase(Locale.ROOT);
      if (v.equals(ALL)) {
        return new TreeSet<>();
      }
      if (!v.isEmpty()) {
        out.add(v);
      }
    }
    return out;
  }

  private static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  private static RuntimeException bad(String message) {
    return ErrorCode.BAD_VALUE.exception("export plan: " + message);
  }
}
