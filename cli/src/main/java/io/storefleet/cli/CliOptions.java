package io.storefleet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The global options and the remaining words of a command line:
 * {@code [--host|--hostname SERVER|all_servers] [--url URL[,URL...]]... [--json] [--progress] [--sync] <words...>}.
 *
 * <p>The options are documented before the command, but operators used to the vendor's CLI also
 * write them after it ({@code backup doSmartScan --host mbox1}); vendor parameters never start
 * with {@code --}, so an option is recognised wherever it stands. A parameter value that does
 * (a password {@code --json}) follows {@link #END}: every argument after it is a word.
 */
record CliOptions(String host, boolean json, boolean progress, boolean sync, boolean help, List<String> words,
    List<String> urls) {
  static final String OPTIONS = "--host|--hostname SERVER|all_servers, --url URL[,URL...], --json, --progress, --sync";
  /** The end of the options: what follows is words even if it starts with {@code --}. */
  static final String END = "--";
  static final String END_HINT = "after '" + END + "' every argument is a command word or value, e.g. "
      + "'storefleet admin " + END + " createCos staff notes --json'";

  /** Words that start a command, and so can never be a server name. */
  private static final Set<String> COMMAND_WORDS = Set.of("backup", "admin", "help", "servers", "whereis", "import",
      "export");

  static CliOptions parse(String[] args) {
    String host = null;
    boolean json = false;
    boolean progress = false;
    boolean sync = false;
    boolean help = false;
    List<String> words = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals(END)) {
        words.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (!a.startsWith("--")) {
        words.add(a);
        continue;
      }
      switch (a.toLowerCase(Locale.ROOT)) {
        case "--host", "--hostname" -> {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new CliUsageException(a + " needs a server name or all_servers right after it, e.g. "
                + "'storefleet " + a + " mbox1 backup doSmartScan'");
          }
          String value = args[++i];
          if (COMMAND_WORDS.contains(value.toLowerCase(Locale.ROOT))) {
            throw new CliUsageException(a + " is followed by '" + value + "', a command word, not a server: "
                + "write the server (or all_servers) right after " + a + ", e.g. 'storefleet " + a
                + " mbox1 " + value + " ...'");
          }
          if (host != null && !host.equals(value)) {
            throw new CliUsageException(a + " is given twice (" + host + " and " + value + "); give one server");
          }
          host = value;
        }
        case "--url" -> {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new CliUsageException("--url needs a coordinator URL (or a comma list of them) right after it, e.g."
                + " 'storefleet --url https://coord1:8080 --url https://coord2:8080 servers'");
          }
          Coordinators.add(urls, args[++i]);
        }
        case "--json" -> json = true;
        case "--progress" -> progress = true;
        case "--sync" -> sync = true;
        case "--help" -> help = true;
        default -> throw new CliUsageException("unknown option " + a + "; global options (before or after the"
            + " command): " + OPTIONS + ". Command parameters have no dashes: write 'name value', e.g. "
            + "'" + a.substring(2) + " <value>'; a value that starts with '--' goes after '" + END + "' ("
            + END_HINT + ")");
      }
    }
    return new CliOptions(host, json, progress, sync, help, List.copyOf(words), List.copyOf(urls));
  }
}
