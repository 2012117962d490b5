package io.storefleet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The global options and the remaining words of a command line:
 * {@code [--host|--hostname SERVER|all_servers] [--json] [--progress] [--sync] <words...>}.
 */
record CliOptions(String host, boolean json, boolean progress, boolean sync, List<String> words) {

  static CliOptions parse(String[] args) {
    String host = null;
    boolean json = false;
    boolean progress = false;
    boolean sync = false;
    int i = 0;
    while (i < args.length && args[i].startsWith("--")) {
      switch (args[i]) {
        case "--host", "--hostname" -> {
          if (i + 1 >= args.length) {
            throw new CliUsageException(args[i] + " needs a server name or all_servers");
          }
          host = args[++i];
        }
        case "--json" -> json = true;
        case "--progress" -> progress = true;
        case "--sync" -> sync = true;
        default -> throw new CliUsageException(
            "unknown option " + args[i] + "; options: --host|--hostname SERVER|all_servers, --json, --progress, --sync");
      }
      i++;
    }
    List<String> words = new ArrayList<>(List.of(args).subList(i, args.length));
    return new CliOptions(host, json, progress, sync, words);
  }
}
