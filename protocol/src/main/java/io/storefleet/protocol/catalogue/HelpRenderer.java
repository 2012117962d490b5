package io.storefleet.protocol.catalogue;

import java.util.ArrayList;
import java.util.List;

/** Renders the manual's help page of a command from the catalogue. */
public final class HelpRenderer {
  /** Where a date is read: said wherever a date can be given. */
  public static final String DATES =
      "Dates dd/MM/yyyy HH:mm:ss are read in the time zone of the server that runs the command;\n"
          + "add an offset or zone to say otherwise: '01/02/2026 10:00:00 +01:00', '... Z', '... Europe/Rome'.\n"
          + "Outputs print dates with their offset.\n";

  private HelpRenderer() {}

  /** The syntax, PARAMETER LIST table and usage example of one command. */
  public static String help(CommandSpec spec) {
    String prefix = "storefleet " + spec.module().word() + " ";
    StringBuilder sb = new StringBuilder();
    sb.append("Syntax:\n   ").append(prefix).append(spec.syntax()).append("\n\n");
    sb.append(spec.description()).append(spec.queued() ? " (queued operation)" : "").append("\n");
    sb.append("Routing: ").append(routingLine(spec)).append("\n");
    sb.append("Role: ").append(spec.role().word()).append(" (or above)\n");
    if (!spec.params().isEmpty()) {
      sb.append("\nPARAMETER LIST\n\n");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "TYPE", "EXPECTED VALUES", "DEFAULT"});
      for (ParamSpec p : spec.params()) {
        rows.add(
            new String[] {
              p.name() + (p.mandatory() ? "(M)" : "(O)"),
              p.type().label(),
              p.expectedValues(),
              p.defaultValue() == null ? "" : p.defaultValue()
            });
      }
      sb.append(Table.render(rows));
      sb.append("\n(M) == mandatory parameter, (O) == optional parameter\n");
      if (spec.params().stream().anyMatch(p -> p.type() == ParamType.DATE)) {
        sb.append(DATES);
      }
    }
    if (spec.example() != null) {
      sb.append("\nUsage example:\n\n")
          .append(prefix)
          .append(spec.example().line())
          .append("\n")
          .append(spec.example().explanation())
          .append("\n");
    }
    return sb.toString();
  }

  /** The command table of a module: name, description, syntax. */
  public static String index(Module module) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"COMMAND", "DESCRIPTION", "ROUTING"});
    for (CommandSpec s : Catalogue.get().commands(module)) {
      rows.add(new String[] {s.name(), s.description(), routingLine(s)});
    }
    return Table.render(rows)
        + "\nRun 'storefleet help " + module.word() + " <command>' for a command's parameters.\n";
  }

  private static String routingLine(CommandSpec spec) {
    return switch (spec.routing()) {
      case ACCOUNT -> "owner of " + spec.accountParam() + " (automatic)";
      case CLUSTER -> "cluster (coordinator)";
      case SERVER -> spec.broadcast() ? "server or all_servers" : "server";
    };
  }
}
