package io.storefleet.cli;

import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.wire.RequestId;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code storefleet export}: a planned export through the coordinator, from every server that
 * holds accounts of the chosen domains.
 *
 * <pre>
 * storefleet export &lt;destination_path&gt; [domains D[,D...]] [name value ...]
 * storefleet export status &lt;plan&gt;
 * </pre>
 *
 * With {@code --sync} it waits for every part and exits with the plan's exit code.
 */
final class ExportCommand {
  static final String USAGE = """
      usage: storefleet [--json] [--progress] [--sync] export <destination_path> [domains D[,D...]] [name value ...]
             storefleet [--json] [--progress] [--sync] export status <plan>
      Exports the domains from every server that holds accounts of them, each server into
      <destination_path>/<server> (an existing folder every server can write to). 'name value'
      pairs are doExport parameters for every part (cos, skip_items, read_error_threshold,
      notifications). One server's accounts only: storefleet --host SERVER backup doExport ...
      See docs/operations.md, "Export and import".""";

  private final PlanFollower plans;

  ExportCommand(ApiClient api, PrintStream out, CliOptions opts, long pollMillis) {
    this.plans = new PlanFollower(api, out, opts, pollMillis, "/api/v1/exports", "export");
  }

  int run(List<String> words) {
    if (words.size() < 2) {
      throw new CliUsageException(USAGE);
    }
    if (words.get(1).equals("status")) {
      if (words.size() != 3) {
        throw new CliUsageException("usage: storefleet export status <plan>");
      }
      return plans.follow(plans.status(words.get(2)));
    }
    return plans.submit(new ExportPlan(words.get(1), ImportCommand.params(words.subList(2, words.size())),
        RequestId.next()));
  }
}
