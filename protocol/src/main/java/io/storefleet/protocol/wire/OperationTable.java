package io.storefleet.protocol.wire;

import io.storefleet.protocol.operation.Operation;
import java.util.List;

/**
 * The cluster's queue as one table.
 *
 * @param operations every listed operation with its server
 * @param unreachable the servers that could not be asked, with the reason; never silently dropped
 */
public record OperationTable(List<Operation> operations, List<ServerResult> unreachable) {

  public OperationTable {
    operations = List.copyOf(operations);
    unreachable = List.copyOf(unreachable);
  }
}
