package io.storefleet.cli;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.wire.RequestId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code storefleet import}: planned imports through the coordinator.
 *
 * <pre>
 * storefleet import mirror &lt;source_path&gt;=&lt;server&gt;... [name value ...]
 * storefleet import composite &lt;plan.json&gt; [name value ...]
 * storefleet import status &lt;plan&gt;
 * </pre>
 *
 * With {@code --sync} it waits for every part and exits with the plan's exit code.
 */
final class ImportCommand {
  static final String USAGE = """
      usage: storefleet [--json] [--progress] [--sync] import mirror <source_path>=<server>... [name value ...]
             storefleet [--json] [--progress] [--sync] import composite <plan.json> [name value ...]
             storefleet [--json] [--progress] [--sync] import status <plan>
      A mirror plan imports each source whole onto its own server; a composite plan file holds
      {"kind": "composite", "parts": [{"server", "sourcePath", "accounts": [...], "domains": [...]}],
      "params": {...}}. 'name value' pairs are doExternalRestore parameters for every part
      (e.g. concurrent_accounts 4). See docs/operations.md, "Planned imports".""";

  private final PlanFollower plans;

  ImportCommand(ApiClient api, PrintStream out, CliOptions opts, long pollMillis) {
    this.plans = new PlanFollower(api, out, opts, pollMillis, "/api/v1/imports", "import");
  }

  int run(List<String> words) {
    if (words.size() < 2) {
      throw new CliUsageException(USAGE);
    }
    List<String> rest = words.subList(2, words.size());
    return switch (words.get(1)) {
      case "mirror" -> submit(mirror(rest));
      case "composite" -> submit(composite(rest));
      case "status" -> {
        if (rest.size() != 1) {
          throw new CliUsageException("usage: storefleet import status <plan>");
        }
        yield plans.follow(plans.status(rest.get(0)));
      }
      default -> throw new CliUsageException("unknown import word '" + words.get(1) + "'\n" + USAGE);
    };
  }

  private static ImportPlan mirror(List<String> args) {
    List<ImportPart> parts = new ArrayList<>();
    int i = 0;
    for (; i < args.size() && args.get(i).contains("="); i++) {
      String a = args.get(i);
      int eq = a.lastIndexOf('=');
      parts.add(new ImportPart(a.substring(eq + 1), a.substring(0, eq), List.of(), List.of()));
    }
    if (parts.isEmpty()) {
      throw new CliUsageException("import mirror needs <source_path>=<server> for each source\n" + USAGE);
    }
    return new ImportPlan(ImportPlan.MIRROR, parts, params(args.subList(i, args.size())));
  }

  private static ImportPlan composite(List<String> args) {
    if (args.isEmpty()) {
      throw new CliUsageException("import composite needs a plan file\n" + USAGE);
    }
    ImportPlan plan;
    try {
      plan = Json.decode(Files.readString(Path.of(args.get(0))), ImportPlan.class);
    } catch (IOException e) {
      throw new CliUsageException("cannot read the plan file " + args.get(0) + ": " + e.getMessage());
    }
    Map<String, String> params = new LinkedHashMap<>(plan.params());
    params.putAll(params(args.subList(1, args.size())));
    return new ImportPlan(plan.kind() == null ? ImportPlan.COMPOSITE : plan.kind(), plan.parts(), params);
  }

  static Map<String, String> params(List<String> pairs) {
    if (pairs.size() % 2 != 0) {
      throw new CliUsageException("parameters come as 'name value' pairs; '" + pairs.get(pairs.size() - 1)
          + "' has no value");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      out.put(pairs.get(i), pairs.get(i + 1));
    }
    return out;
  }

  private int submit(ImportPlan plan) {
    // One request id per invocation: a retry through another coordinator queues nothing twice.
    return plans.submit(plan.withRequestId(RequestId.next()));
  }
}
