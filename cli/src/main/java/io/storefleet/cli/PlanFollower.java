package io.storefleet.cli;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.imports.ImportStatusText;
import java.io.PrintStream;

/**
 * Shows a planned import or export, and with {@code --sync} or {@code --progress} follows its
 * parts to their end: the parts' details as they end, then the plan as one result.
 */
final class PlanFollower {
  private final ApiClient api;
  private final PrintStream out;
  private final CliOptions opts;
  private final long pollMillis;
  private final String route;
  private final String word;

  /**
   * @param route the plan's API route, e.g. {@code /api/v1/imports}
   * @param word the CLI word, e.g. {@code import}, for the "goes on" hint
   */
  PlanFollower(ApiClient api, PrintStream out, CliOptions opts, long pollMillis, String route, String word) {
    this.api = api;
    this.out = out;
    this.opts = opts;
    this.pollMillis = pollMillis;
    this.route = route;
    this.word = word;
  }

  int submit(Object plan) {
    return follow(Json.fromTree(api.post(route, plan), ImportStatus.class));
  }

  ImportStatus status(String plan) {
    return Json.fromTree(api.get(route + "/" + ApiClient.encode(plan)), ImportStatus.class);
  }

  int follow(ImportStatus s) {
    if ((opts.sync() || opts.progress()) && !s.ended()) {
      new OperationWaiter(api, out, pollMillis, opts.progress(), opts.json()).await(s.operations(), 0);
      s = status(s.plan());
      while (opts.sync() && !s.ended()) {
        sleep();
        s = status(s.plan());
      }
    }
    if (opts.json()) {
      out.println(Json.pretty(Json.tree(s)));
    } else {
      out.print(ImportStatusText.render(s));
    }
    return s.ended() ? s.exitCode() : ExitCodes.OK;
  }

  private void sleep() {
    try {
      Thread.sleep(pollMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliUsageException("interrupted; the " + word + " goes on (storefleet " + word + " status <plan>)");
    }
  }
}
