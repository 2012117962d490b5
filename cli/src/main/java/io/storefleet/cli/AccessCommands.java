package io.storefleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.access.AuditAnswer;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.wire.RequestId;
import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.codec.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code storefleet tokens ...}, {@code storefleet audit ...} and {@code storefleet whoami}: token
 * management and the audit trail (admin tokens), and the caller's own token.
 */
final class AccessCommands {
  static final String USAGE = """
      usage: storefleet [--json] tokens create <name> admin|operator|helpdesk|viewer [domains D[,D...]]
             storefleet [--json] tokens list
             storefleet [--json] tokens revoke <name>
             storefleet [--json] audit [who NAME] [contains TEXT] [outcome accepted|refused|failed]
                                       [since INSTANT] [until INSTANT] [limit N]
             storefleet [--json] whoami
      A new token is printed once and stored nowhere (the cluster keeps its SHA-256): hand it to the
      operator, who sets STOREFLEET_TOKEN or STOREFLEET_TOKEN_FILE. 'domains' limits a helpdesk
      token to those domains' accounts. INSTANT is like 2026-12-07T10:00:00Z. See docs/security.md.""";

  private static final Set<String> AUDIT_FILTERS = Set.of("who", "contains", "outcome", "since", "until", "limit");

  private final ApiClient api;
  private final PrintStream out;
  private final boolean json;

  AccessCommands(ApiClient api, PrintStream out, CliOptions opts) {
    this.api = api;
    this.out = out;
    this.json = opts.json();
  }

  int tokens(List<String> words) {
    String sub = words.size() < 2 ? "" : words.get(1);
    switch (sub) {
      case "create" -> {
        if (words.size() != 4 && !(words.size() == 6 && words.get(4).equals("domains"))) {
          throw new CliUsageException("usage: storefleet tokens create <name> <role> [domains D[,D...]]");
        }
        List<String> domains = words.size() == 6 ? Arrays.asList(words.get(5).split(",")) : List.of();
        JsonNode body = api.post("/api/v1/tokens", new TokenRequest(words.get(2), words.get(3), domains,
            RequestId.next()));
        if (json) {
          out.println(Json.pretty(body));
        } else {
          TokenChange c = Json.fromTree(body, TokenChange.class);
          out.println("token '" + c.record().name() + "' (" + c.record().role().word() + ") created; kept on "
              + String.join(",", c.keptOn()));
          out.println(c.token());
          out.println("This is the only time the token is shown: hand it to its holder now.");
        }
      }
      case "list" -> {
        if (words.size() != 2) {
          throw new CliUsageException("usage: storefleet tokens list");
        }
        JsonNode body = api.get("/api/v1/tokens");
        if (json) {
          out.println(Json.pretty(body));
        } else {
          List<String[]> rows = new ArrayList<>();
          rows.add(new String[] {"NAME", "ROLE", "DOMAINS", "CREATED", "BY", "STATE"});
          for (TokenRecord t : Json.fromTree(body, TokenRecord[].class)) {
            rows.add(new String[] {t.name(), t.role().word(), String.join(",", t.domains()), t.createdAt().toString(),
                t.createdBy(), t.active() ? "active" : "revoked " + t.revokedAt() + " by " + t.revokedBy()});
          }
          out.print(Table.render(rows));
        }
      }
      case "revoke" -> {
        if (words.size() != 3) {
          throw new CliUsageException("usage: storefleet tokens revoke <name>");
        }
        JsonNode body = api.delete("/api/v1/tokens/" + ApiClient.encode(words.get(2)), RequestId.next());
        if (json) {
          out.println(Json.pretty(body));
        } else {
          TokenChange c = Json.fromTree(body, TokenChange.class);
          out.println("token '" + c.record().name() + "' revoked at " + c.record().revokedAt()
              + (c.keptOn().isEmpty() ? " (no worker reachable: the cluster map holds the revocation; workers"
                  + " copy it to disk when they join)" : "; kept on " + String.join(",", c.keptOn())));
        }
      }
      default -> throw new CliUsageException(USAGE);
    }
    return ExitCodes.OK;
  }

  int audit(List<String> words) {
    List<String> pairs = words.subList(1, words.size());
    Map<String, String> filters = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      String name = pairs.get(i);
      if (!AUDIT_FILTERS.contains(name) || i + 1 >= pairs.size()) {
        throw new CliUsageException("audit takes 'name value' filters among " + AUDIT_FILTERS + "; got '"
            + String.join(" ", pairs) + "'");
      }
      filters.put(name, pairs.get(i + 1));
    }
    StringBuilder path = new StringBuilder("/api/v1/audit");
    String sep = "?";
    for (Map.Entry<String, String> f : filters.entrySet()) {
      path.append(sep).append(f.getKey()).append('=').append(ApiClient.encode(f.getValue()));
      sep = "&";
    }
    JsonNode body = api.get(path.toString());
    if (json) {
      out.println(Json.pretty(body));
      return ExitCodes.OK;
    }
    AuditAnswer a = Json.fromTree(body, AuditAnswer.class);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"AT", "WHO", "OUTCOME", "CLIENT", "COORDINATOR", "KEPT ON", "OPERATIONS", "WHAT"});
    for (AuditRecord r : a.records()) {
      rows.add(new String[] {r.at().toString(), r.who(),
          r.outcome() + (r.error() == null ? "" : " " + r.error()), r.client(), r.coordinator(), r.server(),
          r.operations() == null ? "" : r.operations(), r.what()});
    }
    out.print(Table.render(rows));
    for (String s : a.unreachable()) {
      out.println(s + ": UNREACHABLE — its records are missing from this list");
    }
    return ExitCodes.OK;
  }

  int whoami() {
    JsonNode body = api.get("/api/v1/whoami");
    if (json) {
      out.println(Json.pretty(body));
    } else {
      List<String> domains = new ArrayList<>();
      body.path("domains").forEach(d -> domains.add(d.asText()));
      out.println(body.path("name").asText() + " (" + body.path("role").asText().toLowerCase(java.util.Locale.ROOT)
          + (domains.isEmpty() ? "" : ", domains " + String.join(",", domains)) + ")");
    }
    return ExitCodes.OK;
  }
}
