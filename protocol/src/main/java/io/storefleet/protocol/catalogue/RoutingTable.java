package io.storefleet.protocol.catalogue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routing table of {@code docs/protocol.md}, rendered from the catalogue's routing facts.
 * The document holds it between {@link #BEGIN} and {@link #END}; run {@link #main} to rewrite it.
 */
public final class RoutingTable {
  /** The line before the generated table. */
  public static final String BEGIN =
      "<!-- routing-table: generated from the catalogue by io.storefleet.protocol.catalogue.RoutingTable; do not edit -->";
  /** The line after it. */
  public static final String END = "<!-- routing-table: end -->";

  private RoutingTable() {}

  /** The Markdown table of every command's routing facts, in catalogue order. */
  public static String render(Catalogue catalogue) {
    StringBuilder sb = new StringBuilder();
    sb.append("| module | command | routing | account parameter | deleted account | no target | `all_servers` |"
        + " answered by the coordinator |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (CommandSpec s : catalogue.all()) {
      sb.append("| ").append(s.module().word())
          .append(" | `").append(s.name()).append('`')
          .append(" | ").append(s.routing().name().toLowerCase(Locale.ROOT))
          .append(" | ").append(s.accountParam() == null ? "—" : "`" + s.accountParam() + "`")
          .append(" | ").append(deleted(s))
          .append(" | ").append(noTarget(s))
          .append(" | ").append(allServers(s))
          .append(" | ").append(coordinator(s))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String deleted(CommandSpec s) {
    if (s.routing() != Routing.ACCOUNT) {
      return "—";
    }
    return RoutingRule.servedFromBackup(s) ? "the server whose backup holds it" : "`UNKNOWN_ACCOUNT`";
  }

  private static String noTarget(CommandSpec s) {
    try {
      String first = describe(RoutingRule.route(s, Map.of(), null));
      if (s.broadcastWhen() != null) {
        return first + "; every server with `" + s.broadcastWhen() + "`";
      }
      return first;
    } catch (RuntimeException e) {
      return "`NOT_IMPLEMENTED`";
    }
  }

  private static String allServers(CommandSpec s) {
    if (!RoutingRule.allowsAllServers(s)) {
      return "refused";
    }
    return s.broadcast() ? "every server" : "the coordinator";
  }

  private static String coordinator(CommandSpec s) {
    List<String> out = new ArrayList<>();
    for (CoordinatorRule r : s.coordinatorRules()) {
      List<String> targets = new ArrayList<>();
      for (TargetKind k : TargetKind.values()) {
        if (r.targets().contains(k)) {
          targets.add(switch (k) {
            case NONE -> "no target";
            case SERVER -> "a server";
            case ALL_SERVERS -> "`all_servers`";
          });
        }
      }
      out.add(describe(r.answer()) + (r.when() == null ? "" : " when `" + r.when() + "`") + " ("
          + String.join(", ", targets) + ")");
    }
    return out.isEmpty() ? "—" : String.join("<br>", out);
  }

  private static String describe(Route r) {
    return switch (r) {
      case OWNER -> "the owner";
      case NAMED_SERVER -> "the named server";
      case EVERY_SERVER -> "every server";
      case ONLY_SERVER -> "the only server, else `TARGET_REQUIRED`";
      case FEWEST_ACCOUNTS -> "the live server with the fewest accounts";
      case QUEUE_TABLE -> "merged queue";
      case OPERATION_HOLDER -> "the server holding the operation";
      case SHARE_CHECK -> "cluster-wide share check";
      case SHARE_FIX -> "cluster-wide fix on the first live server";
    };
  }

  /**
   * {@code doc} with the text between the markers replaced by {@code table}.
   *
   * @throws IllegalArgumentException when a marker is missing
   */
  public static String replace(String doc, String table) {
    int b = doc.indexOf(BEGIN);
    int e = doc.indexOf(END);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException("the document has no routing table markers: put the lines\n" + BEGIN
          + "\n" + END + "\nwhere the table belongs");
    }
    return doc.substring(0, b + BEGIN.length()) + "\n\n" + table + "\n" + doc.substring(e);
  }

  /** The table as the document holds it now (between the markers), or null without markers. */
  public static String current(String doc) {
    int b = doc.indexOf(BEGIN);
    int e = doc.indexOf(END);
    return b < 0 || e < b ? null : doc.substring(b + BEGIN.length(), e).strip() + "\n";
  }

  /** Rewrites the table in the document named by {@code args[0]} (default {@code docs/protocol.md}). */
  public static void main(String[] args) throws IOException {
    Path doc = Path.of(args.length > 0 ? args[0] : "docs/protocol.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    Files.writeString(doc, replace(text, render(Catalogue.get())), StandardCharsets.UTF_8);
    System.out.println("rewrote the routing table of " + doc);
  }
}
