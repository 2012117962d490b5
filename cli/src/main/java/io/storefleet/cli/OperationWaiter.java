package io.storefleet.cli;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows operations until they end ({@code --sync}), printing a progress line when asked
 * ({@code --progress}). Interrupting the CLI stops only the output, never the operation.
 */
final class OperationWaiter {
  private final ApiClient api;
  private final PrintStream out;
  private final long pollMillis;
  private final boolean progress;
  private final boolean json;

  OperationWaiter(ApiClient api, PrintStream out, long pollMillis, boolean progress, boolean json) {
    this.api = api;
    this.out = out;
    this.pollMillis = pollMillis;
    this.progress = progress;
    this.json = json;
  }

  /** Waits for every operation; returns the highest exit code among them and {@code base}. */
  int await(List<Operation> ops, int base) {
    return await(ops, base, ProgressBoard.forConsole(out));
  }

  /** As {@link #await(List, int)}, drawing progress on the given board. */
  int await(List<Operation> ops, int base, ProgressBoard board) {
    List<Operation> current = new ArrayList<>(ops);
    boolean warned = false;
    while (true) {
      boolean allDone = true;
      for (int i = 0; i < current.size(); i++) {
        Operation op = current.get(i);
        if (!op.state().terminal()) {
          try {
            op = Json.fromTree(api.get("/api/v1/operations/" + op.uuid() + "?server=" + ApiClient.encode(op.server())),
                Operation.class);
            current.set(i, op);
          } catch (StorefleetException e) {
            if (e.code().definite()) {
              throw e;
            }
            // The server may be restarting; its log on disk will tell how the operation ended.
            if (!warned) {
              out.println("server " + op.server() + " is unreachable (" + e.code() + "); still waiting for "
                  + op.uuid() + " — Ctrl-C stops only this output");
              warned = true;
            }
          }
        }
        allDone &= op.state().terminal();
      }
      if (progress) {
        board.show(current);
      }
      if (allDone) {
        break;
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.SOFTWARE;
      }
    }
    if (progress) {
      board.finish();
    }
    int code = base;
    for (Operation op : current) {
      if (json) {
        out.println(Json.pretty(op));
      } else {
        out.print(OperationText.detail(op));
      }
      code = Math.max(code, op.state().exitCode());
    }
    return code;
  }
}
