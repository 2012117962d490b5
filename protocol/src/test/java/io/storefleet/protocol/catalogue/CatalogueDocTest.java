package io.storefleet.protocol.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md's catalogue tables must say what the catalogue says. The last column
 * ("built") depends on the worker's registry and is not checked here.
 */
class CatalogueDocTest {
  private static final Path DOC = Path.of("..", "docs", "protocol.md");

  @Test
  void everyCatalogueRowOfTheDocMatchesTheCatalogue() throws IOException {
    assertTrue(Files.exists(DOC), "run from the protocol module: " + DOC.toAbsolutePath());
    Map<String, String> documented = documentedRows(Files.readAllLines(DOC));
    List<String> wrong = new ArrayList<>();
    for (CommandSpec spec : Catalogue.get().all()) {
      String key = spec.module().word() + " " + spec.name();
      String want = row(spec);
      String have = documented.get(key);
      if (!want.equals(have)) {
        wrong.add(key + "\n  code: " + want + "\n  doc:  " + have);
      }
    }
    assertEquals("", String.join("\n", wrong), "rows to fix in docs/protocol.md (the code is right)");
  }

  /** Each table row of the two catalogue sections, without its last cell, by "module name". */
  private static Map<String, String> documentedRows(List<String> lines) {
    Map<String, String> rows = new LinkedHashMap<>();
    String module = null;
    for (String line : lines) {
      if (line.startsWith("### ")) {
        String h = line.substring(4).trim();
        module = h.equals("backup") || h.equals("admin") ? h : null;
      } else if (module != null && line.startsWith("| `")) {
        String name = line.substring(3, line.indexOf('`', 3));
        rows.put(module + " " + name, line.substring(0, line.lastIndexOf(" | ")));
      }
    }
    return rows;
  }

  private static String row(CommandSpec spec) {
    String positional = spec.positional().stream().map(p -> param(p, false)).collect(Collectors.joining("<br>"));
    String optional = spec.optional().stream().map(p -> param(p, true)).collect(Collectors.joining("<br>"));
    String routing = switch (spec.routing()) {
      case ACCOUNT -> "account (`" + spec.accountParam() + "`)";
      case SERVER -> "server";
      case CLUSTER -> "cluster";
    };
    // "(1)": all_servers is allowed because the coordinator answers it, not by broadcast.
    String broadcast = spec.broadcast() ? "yes" : RoutingRule.allowsAllServers(spec) ? "yes (1)" : "no";
    return "| `" + spec.name() + "` | " + spec.description() + " | " + orDash(positional) + " | " + orDash(optional)
        + " | " + (spec.queued() ? "queued" : "immediate") + " | " + routing + " | " + broadcast + " | " + spec.role().word();
  }

  private static String param(ParamSpec p, boolean withDefault) {
    String s = "`" + p.name() + "` " + p.type().label();
    String expected = p.expectedValues();
    if (!expected.isEmpty()) {
      s += " `" + expected.replace("|", "\\|") + "`";
    }
    if (withDefault) {
      String d = p.defaultValue();
      s += " = " + (d == null ? "—" : d.isEmpty() ? "\"\"" : "`" + d + "`");
    }
    return s;
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "—" : s;
  }
}
