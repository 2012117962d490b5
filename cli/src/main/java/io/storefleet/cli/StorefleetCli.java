package io.storefleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.HelpRenderer;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandSubmission;
import io.storefleet.protocol.wire.OperationTable;
import io.storefleet.protocol.wire.RequestId;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The {@code storefleet} command line. It talks to a coordinator over HTTP; help is answered from
 * the catalogue without one.
 *
 * <pre>
 * storefleet [--host|--hostname SERVER|all_servers] [--json] [--progress] [--sync] backup &lt;command&gt; ...
 * storefleet [--host SERVER|all_servers] [--json] admin &lt;command&gt; ...
 * storefleet help [backup|admin] [&lt;command&gt;]
 * storefleet servers | whereis &lt;account&gt; | whoami
 * storefleet tokens create|list|revoke ... | audit [filters]
 * storefleet import mirror|composite|status ...
 * storefleet export &lt;destination_path&gt; [domains ...] | status ...
 * </pre>
 */
public final class StorefleetCli {
  private final PrintStream out;
  private final PrintStream err;
  private final Environment env;

  /**
   * Where the CLI finds the coordinators ({@code url}: one URL or a comma list, tried in order),
   * its token and the coordinator certificates pinned so far.
   */
  record Environment(String url, String token, long pollMillis, Path knownCoordinators) {
    Environment(String url, String token, long pollMillis) {
      this(url, token, pollMillis, KnownCoordinators.defaultFile());
    }
  }

  StorefleetCli(PrintStream out, PrintStream err, Environment env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, null));
  }

  /** Runs one command line and returns the exit code. {@code env} null reads the real environment. */
  public static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
    try {
      if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
        out.print(usage());
        return ExitCodes.OK;
      }
      CliOptions opts = CliOptions.parse(args);
      if (opts.help() && !opts.words().isEmpty() && !opts.words().get(0).equals("help")) {
        // 'backup doSmartScan --help' asks for that command's page.
        List<String> asked = new ArrayList<>(List.of("help"));
        asked.addAll(opts.words());
        return new StorefleetCli(out, err, env).help(asked);
      }
      if (opts.words().isEmpty() || opts.words().get(0).equals("help")) {
        return new StorefleetCli(out, err, env).help(opts.words());
      }
      Environment e = env != null ? env : fromSystem();
      return new StorefleetCli(out, err, e).execute(opts);
    } catch (CliUsageException e) {
      err.println("storefleet: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (StorefleetException e) {
      err.println("storefleet: " + e.code() + " (" + (e.code().definite() ? "definite" : "indefinite") + "): "
          + e.getMessage() + (e.server() != null ? " [server " + e.server() + "]" : ""));
      return ExitCodes.of(e.code());
    }
  }

  private int help(List<String> words) {
    List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
    if (rest.isEmpty()) {
      out.print(usage());
      return ExitCodes.OK;
    }
    Module m = Module.fromWord(rest.get(0));
    if (m == null && rest.get(0).equals("import")) {
      out.println(ImportCommand.USAGE);
      return ExitCodes.OK;
    }
    if (m == null && rest.get(0).equals("export")) {
      out.println(ExportCommand.USAGE);
      return ExitCodes.OK;
    }
    if (m == null && List.of("tokens", "audit", "whoami").contains(rest.get(0))) {
      out.println(AccessCommands.USAGE);
      return ExitCodes.OK;
    }
    if (m == null && (rest.get(0).equals("servers") || rest.get(0).equals("whereis"))) {
      out.print(usage());
      return ExitCodes.OK;
    }
    if (m == null) {
      throw new CliUsageException("help takes 'backup' or 'admin', then a command; got '" + rest.get(0) + "'");
    }
    if (rest.size() == 1) {
      out.print(HelpRenderer.index(m));
      return ExitCodes.OK;
    }
    out.print(HelpRenderer.help(new CommandParser().lookup(m, rest.get(1))));
    return ExitCodes.OK;
  }

  static String usage() {
    return HELP_TOP + "\n" + HelpRenderer.DATES;
  }

  private static final String HELP_TOP = """
        usage: storefleet [--host|--hostname SERVER|all_servers] [--url URL[,URL...]] [--json] [--progress] [--sync] backup <command> [args...]
               storefleet [--host SERVER|all_servers] [--json] admin <command> [args...]
               storefleet help [backup|admin] [<command>]
               storefleet servers
               storefleet [--json] certificates   (when the HTTPS and cluster certificates end)
               storefleet whereis <account>
               storefleet [--json] tokens create|list|revoke ...   (admin; storefleet help tokens)
               storefleet [--json] audit [who NAME] [contains TEXT] [outcome O] [since T] [until T] [limit N]
               storefleet whoami
               storefleet [--json] [--progress] [--sync] import mirror|composite|status ...   (planned imports)
               storefleet [--json] [--progress] [--sync] export <destination_path> [domains D,...] | status <plan>   (every server's part)

        Account commands need no --host: they go to the server that owns the account.
        Environment: STOREFLEET_URL (default https://127.0.0.1:8080), STOREFLEET_TOKEN or
        STOREFLEET_TOKEN_FILE (default ~/.storefleet/admin-token), or ~/.storefleet/cli.properties
        with url= and tokenFile=. The token says who you are and what you may do. Several
        coordinators: a comma list in STOREFLEET_URL or url=, or --url given once per coordinator;
        a request that cannot reach one goes to the next with the same request id. A coordinator
        certificate no CA vouches for is pinned on first use in STOREFLEET_KNOWN_COORDINATORS
        (default ~/.storefleet/known_coordinators).
        Global options may also follow the command (storefleet backup doSmartScan --host mbox1).
        '--' ends the options: every argument after it is a word, so a value may start with '--'
        (storefleet admin -- createCos staff notes --json).
        """;

  private int execute(CliOptions opts) {
    List<String> urls = opts.urls().isEmpty() ? Coordinators.parse(env.url()) : opts.urls();
    ApiClient api = new ApiClient(urls, env.token(), new KnownCoordinators(env.knownCoordinators()), err);
    String first = opts.words().get(0);
    switch (first) {
      case "servers":
        return servers(api, opts);
      case "certificates":
        return new CertificatesCommand(api, out).run(opts.json());
      case "import":
        return new ImportCommand(api, out, opts, env.pollMillis()).run(opts.words());
      case "export":
        return new ExportCommand(api, out, opts, env.pollMillis()).run(opts.words());
      case "tokens":
        return new AccessCommands(api, out, opts).tokens(opts.words());
      case "audit":
        return new AccessCommands(api, out, opts).audit(opts.words());
      case "whoami":
        return new AccessCommands(api, out, opts).whoami();
      case "whereis":
        if (opts.words().size() != 2) {
          throw new CliUsageException("usage: storefleet whereis <account>");
        }
        return whereis(api, opts, opts.words().get(1));
      default:
        break;
    }
    Module module = Module.fromWord(first);
    if (module == null) {
      throw new CliUsageException(unknownWord(first));
    }
    List<String> args = opts.words().subList(1, opts.words().size());
    if (args.isEmpty()) {
      throw new CliUsageException("no " + module.word() + " command; run 'storefleet help " + module.word() + "'");
    }
    // Parse here too, so bad input is explained before any network call.
    new CommandParser().parse(module, args);
    // One request id for this invocation: a retry through another coordinator is then a repeat,
    // answered by the server with its first answer, not run a second time.
    JsonNode body = api.post("/api/v1/commands", new CommandSubmission(module.word(), args, opts.host(),
        RequestId.next()));
    ApiResult result = Json.fromTree(body, ApiResult.class);
    byte[] raw = rawContent(result);
    if (opts.json()) {
      out.println(Json.pretty(body));
    } else if (raw != null) {
      // getItem dump_blob: the message's own bytes, which need not be text in any charset.
      out.write(raw, 0, raw.length);
      out.flush();
    } else {
      out.print(result.text().endsWith("\n") ? result.text() : result.text() + "\n");
    }
    int code = result.broadcast() != null && result.broadcast().failures() > 0 ? 1 : ExitCodes.OK;
    List<Operation> ops = operations(result);
    if ((opts.sync() || opts.progress()) && !ops.isEmpty()) {
      return new OperationWaiter(api, out, env.pollMillis(), opts.progress(), opts.json()).await(ops, code);
    }
    return code;
  }

  private static String unknownWord(String first) {
    for (Module m : Module.values()) {
      if (Catalogue.get().find(m, first).isPresent()) {
        return "'" + first + "' is " + (m == Module.ADMIN ? "an " : "a ") + m.word() + " command: write 'storefleet "
            + "[options] " + m.word() + " " + first + " ...'";
      }
    }
    return "unknown word '" + first + "'; expected backup, admin, help, servers, certificates, whereis, import, export, tokens, audit or whoami"
        + " (global options " + CliOptions.OPTIONS + " go before or after the command)";
  }

  private static byte[] rawContent(ApiResult r) {
    if (r.reply() == null || r.reply().result() == null || !r.reply().result().has("blobBase64")) {
      return null;
    }
    return java.util.Base64.getDecoder().decode(r.reply().result().get("blobBase64").asText());
  }

  private static List<Operation> operations(ApiResult r) {
    List<Operation> ops = new ArrayList<>();
    if (r.reply() != null && r.reply().operation() != null) {
      ops.add(r.reply().operation());
    }
    if (r.broadcast() != null) {
      for (ServerResult s : r.broadcast().results()) {
        if (s.ok() && s.reply().operation() != null) {
          ops.add(s.reply().operation());
        }
      }
    }
    return ops;
  }

  private int servers(ApiClient api, CliOptions opts) {
    JsonNode body = api.get("/api/v1/servers");
    if (opts.json()) {
      out.println(Json.pretty(body));
      return ExitCodes.OK;
    }
    OperationTable queue = null;
    String queueError = null;
    try {
      queue = Json.fromTree(api.get("/api/v1/operations"), OperationTable.class);
    } catch (StorefleetException e) {
      queueError = e.code().name();
      err.println("storefleet: the queues could not be read: " + e.getMessage());
    }
    out.print(ServerListing.render(List.of(Json.fromTree(body, ServerInfo[].class)), queue, queueError));
    return ExitCodes.OK;
  }

  private int whereis(ApiClient api, CliOptions opts, String account) {
    JsonNode body = api.get("/api/v1/accounts/" + ApiClient.encode(account));
    if (opts.json()) {
      out.println(Json.pretty(body));
    } else {
      AccountLocation loc = Json.fromTree(body, AccountLocation.class);
      out.println(loc.name() + " is on " + loc.server() + " (id " + loc.accountId() + ")");
    }
    return ExitCodes.OK;
  }

  static Environment fromSystem() {
    Properties p = new Properties();
    Path cfg = Path.of(System.getProperty("user.home"), ".storefleet", "cli.properties");
    if (Files.exists(cfg)) {
      try (Reader r = Files.newBufferedReader(cfg)) {
        p.load(r);
      } catch (IOException e) {
        throw new CliUsageException("cannot read " + cfg + ": " + e.getMessage());
      }
    }
    String url = firstNonBlank(System.getenv("STOREFLEET_URL"), p.getProperty("url"), "https://127.0.0.1:8080");
    String token = System.getenv("STOREFLEET_TOKEN");
    if (token == null || token.isBlank()) {
      Path file = Path.of(firstNonBlank(System.getenv("STOREFLEET_TOKEN_FILE"), p.getProperty("tokenFile"),
          System.getProperty("user.home") + "/.storefleet/admin-token"));
      try {
        token = Files.readString(file).trim();
      } catch (IOException e) {
        throw new CliUsageException("cannot read the admin token file " + file + "; set STOREFLEET_TOKEN_FILE to"
            + " the coordinator's token file (the local cluster prints it)");
      }
    }
    return new Environment(url, token, 500);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

}
