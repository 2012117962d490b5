package io.storefleet.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandRegistryTest {
  final CommandRegistry registry = new CommandRegistry();
  final List<ParsedCommand> ran = new ArrayList<>();
  final QueuedCommand recording = (cmd, op) -> ctx -> {
    ran.add(cmd);
    return OperationStats.empty();
  };

  @Test
  void aQueuedEntryRegisteredAsImmediateOrTwiceFailsWhenTheWorkerIsWired() {
    IllegalStateException asImmediate = assertThrows(IllegalStateException.class,
        () -> registry.immediate(BackupCommand.DO_SMART_SCAN, (cmd, ctx) -> Future.failedFuture("unused")));
    assertTrue(asImmediate.getMessage().contains("doSmartScan is queued"), asImmediate.getMessage());
    assertThrows(IllegalStateException.class, () -> registry.queued(BackupCommand.GET_ITEM, recording));
    registry.queued(BackupCommand.DO_PURGE, recording);
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> registry.queued(BackupCommand.DO_PURGE, recording));
    assertTrue(twice.getMessage().contains("doPurge is registered twice"), twice.getMessage());
  }

  /** A command queued in this run runs from the command as it was checked, not from a re-read record. */
  @Test
  void theTaskOfACheckedCommandRunsThatVeryCommand() throws Exception {
    registry.queued(BackupCommand.DO_PURGE, recording);
    ParsedCommand checked = new CommandParser().fromValues(BackupCommand.DO_PURGE, Map.of());
    registry.taskOf(checked, "mbox1").create(null).run(null);
    assertEquals(1, ran.size());
    assertSame(checked, ran.get(0));
  }

  @Test
  void aCommandThatIsNotRegisteredCannotBeBoundToATask() {
    ParsedCommand cmd = new CommandParser().fromValues(BackupCommand.DO_PURGE, Map.of());
    StorefleetException e = assertThrows(StorefleetException.class, () -> registry.taskOf(cmd, "mbox1"));
    assertEquals(ErrorCode.NOT_IMPLEMENTED, e.code());
    assertTrue(e.getMessage().contains("backup doPurge"), e.getMessage());
  }
}
