package io.storefleet.coordinator.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Progress;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.protocol.wire.ServerResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportResultTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Operation part(String server, int i, OperationState state, long restored, long skipped,
      List<Unrestored> unrestored) {
    OperationStats stats = new OperationStats(Map.of("restoredItems", restored, "skippedItems", skipped,
        "unrestoredItems", (long) unrestored.size()), unrestored, "done");
    return new Operation("u" + i, server, "doExternalRestore", Map.of("plan", "mirror-1", "plan_part", i + "/3",
        "source_path", "/e/" + i), "admin", null, i, state, T, T, state.terminal() ? T : null, Progress.none(T),
        stats, null, null);
  }

  @Test
  void everyPartSucceededIsOneSuccessWithTheCountersAddedUp() {
    ImportStatus s = ImportResult.combine("mirror-1", List.of(
        part("mbox3", 3, OperationState.SUCCEEDED, 5, 1, List.of()),
        part("mbox1", 1, OperationState.SUCCEEDED, 2, 0, List.of()),
        part("mbox2", 2, OperationState.SUCCEEDED, 3, 0, List.of())), List.of());
    assertEquals("SUCCEEDED", s.state());
    assertEquals(0, s.exitCode());
    assertEquals("mirror", s.kind());
    assertEquals(List.of("mbox1", "mbox2", "mbox3"), s.operations().stream().map(Operation::server).toList());
    assertEquals(10, s.stats().counter("restoredItems"));
    assertEquals(1, s.stats().counter("skippedItems"));
    assertTrue(s.stats().verdict().endsWith("In all: 10 item(s) restored, 1 skipped, 0 unrestored."),
        s.stats().verdict());
  }

  @Test
  void theWorstEndWinsAndAPartStillRunningKeepsThePlanRunning() {
    Unrestored u = new Unrestored("ann@a.example", 300, "broken item: bad");
    ImportStatus failed = ImportResult.combine("mirror-1", List.of(
        part("mbox1", 1, OperationState.SUCCEEDED, 2, 0, List.of()),
        part("mbox2", 2, OperationState.FAILED, 1, 0, List.of(u)),
        part("mbox3", 3, OperationState.STOPPED, 0, 0, List.of())), List.of());
    assertEquals("STOPPED", failed.state(), "the vendor's exit codes: stopped (2) is above failed (1)");
    assertEquals(2, failed.exitCode());
    assertEquals(List.of(u), failed.stats().unrestored());

    ImportStatus running = ImportResult.combine("mirror-1", List.of(
        part("mbox1", 1, OperationState.SUCCEEDED, 2, 0, List.of()),
        part("mbox2", 2, OperationState.RUNNING, 0, 0, List.of()),
        part("mbox3", 3, OperationState.QUEUED, 0, 0, List.of())), List.of());
    assertEquals("RUNNING", running.state());
    assertEquals(-1, running.exitCode());
  }

  @Test
  void anUnreachableServerKeepsThePlanOpenAndAMissingPartFailsIt() {
    ServerResult down = new ServerResult("mbox3", null,
        ErrorInfo.of(ErrorCode.SERVER_UNAVAILABLE.exception("server mbox3 is not reachable", "mbox3")));
    ImportStatus open = ImportResult.combine("mirror-1", List.of(
        part("mbox1", 1, OperationState.SUCCEEDED, 2, 0, List.of()),
        part("mbox2", 2, OperationState.SUCCEEDED, 2, 0, List.of())), List.of(down));
    assertEquals("RUNNING", open.state());
    assertTrue(open.stats().verdict().contains("mbox3 could not be asked"), open.stats().verdict());

    ImportStatus missing = ImportResult.combine("mirror-1", List.of(
        part("mbox1", 1, OperationState.SUCCEEDED, 2, 0, List.of()),
        part("mbox2", 2, OperationState.SUCCEEDED, 2, 0, List.of())), List.of());
    assertEquals("FAILED", missing.state());
    assertTrue(missing.stats().verdict().contains("1 part(s) not found on any server"), missing.stats().verdict());
  }
}
