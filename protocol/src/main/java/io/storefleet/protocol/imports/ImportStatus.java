package io.storefleet.protocol.imports;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.wire.ServerResult;
import java.util.List;

/**
 * A planned import (or planned export) as one result, built from its parts' operations on their
 * servers (the coordinator keeps nothing): the answer of {@code POST /api/v1/imports} and
 * {@code GET /api/v1/imports/{plan}}, and of {@code POST /api/v1/exports} and {@code GET
 * /api/v1/exports/{plan}}.
 *
 * @param plan the plan's id, {@code <kind>-<uuid>}
 * @param kind mirror or composite (imports), export (exports)
 * @param state {@code QUEUED} or {@code RUNNING} while a part has not ended (or cannot be asked),
 *     else the worst end of its parts (the one with the highest exit code), {@code SUCCEEDED}
 *     only when every part succeeded
 * @param exitCode the {@code --sync} exit code of that state, or -1 while it runs
 * @param parts how many parts the plan has
 * @param operations the parts' operations that were found, in part order
 * @param unreachable servers that could not be asked; their parts count as not ended
 * @param stats every part's counters added up, their unrestored items, and the verdict
 */
public record ImportStatus(String plan, String kind, String state, int exitCode, int parts,
    List<Operation> operations, List<ServerResult> unreachable, OperationStats stats) {
  public ImportStatus {
    operations = operations == null ? List.of() : List.copyOf(operations);
    unreachable = unreachable == null ? List.of() : List.copyOf(unreachable);
  }

  /** Whether every part has ended. */
  public boolean ended() {
    return exitCode >= 0;
  }
}
