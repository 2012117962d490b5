package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.Progress;
import io.storefleet.protocol.wire.OperationTable;
import io.storefleet.protocol.wire.ServerDeparture;
import io.storefleet.protocol.wire.ServerHealth;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storefleet servers}: every field of the console's Servers page, one per line, in 100 columns. */
class ServerListingTest {
  static final Instant T = Instant.parse("2026-12-07T10:00:00.123Z");
  static final String NODE = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

  static Operation op(String server, String uuid, String command, OperationState state) {
    return new Operation(uuid, server, command, Map.of(), "admin", null, 1, state, T, T, null,
        new Progress("scanning", 40, 100, 0, 12, T, "accounts"), null, null, List.of());
  }

  static ServerInfo server(String id, boolean up, ServerHealth health, ServerDeparture left) {
    return new ServerInfo(id, NODE, T, "imap", "/var/lib/storefleet/" + id + "/backup", 1200, null)
        .withReachable(up).withHealth(health, left);
  }

  @Test
  void eachServerIsABlockWithItsStateQueueAndLastReport() {
    ServerHealth health = new ServerHealth(T.plusSeconds(60), 1234567890L, T.plusSeconds(30),
        new ServerHealth.LastSmartScan("0b7a2c56-51a8-4b7c-9d55-2f3f0a3b9e11", T.plusSeconds(20), "INTERRUPTED"),
        3L, 12.6, false);
    String running = "30ed9eb9-eb28-4ca6-b65e-9940654b8601";
    OperationTable queue = new OperationTable(List.of(
        op("mbox1", running, "doRestoreOnNewAccount", OperationState.RUNNING),
        op("mbox1", "30ed9eb9-eb28-4ca6-b65e-9940654b8602", "doSmartScan", OperationState.QUEUED),
        op("mbox1", "30ed9eb9-eb28-4ca6-b65e-9940654b8603", "doPurgeOldBackups", OperationState.QUEUED),
        op("mbox2", "30ed9eb9-eb28-4ca6-b65e-9940654b8604", "doSmartScan", OperationState.QUEUED)),
        List.of(new ServerResult("mbox3", null,
            ErrorInfo.of(ErrorCode.SERVER_UNAVAILABLE.exception("server mbox3 is not reachable", "mbox3")))));
    String out = ServerListing.render(List.of(
        server("mbox1", true, health, null),
        server("mbox2", true, null, null),
        server("mbox3", false, health, new ServerDeparture(NODE, T.plusSeconds(75)))), queue, null);
    assertEquals("""
        mbox1: up
          store           imap, 1200 account(s)
          queue           2 queued
          running         doRestoreOnNewAccount 40%, op 30ed9eb9-eb28-4ca6-b65e-9940654b8601
          backup path     /var/lib/storefleet/mbox1/backup
          backup size     1,234,567,890 bytes, surveyed 2026-12-07T10:00:30Z
          last SmartScan  INTERRUPTED, ended 2026-12-07T10:00:20Z, op 0b7a2c56-51a8-4b7c-9d55-2f3f0a3b9e11
          scanner lag     stopped; 3 entries, 13 s behind
          reported        2026-12-07T10:01:00Z
          node            7c9e6679-7425-40de-944b-e07fc1f90ae7, up since 2026-12-07T10:00:00Z

        mbox2: up
          store           imap, 1200 account(s)
          queue           1 queued
          backup path     /var/lib/storefleet/mbox2/backup
          health          no report from its worker yet
          node            7c9e6679-7425-40de-944b-e07fc1f90ae7, up since 2026-12-07T10:00:00Z

        mbox3: UNREACHABLE since 2026-12-07T10:01:15Z
          store           imap, 1200 account(s)
          queue           not known (SERVER_UNAVAILABLE)
          backup path     /var/lib/storefleet/mbox3/backup
          backup size     1,234,567,890 bytes, surveyed 2026-12-07T10:00:30Z
          last SmartScan  INTERRUPTED, ended 2026-12-07T10:00:20Z, op 0b7a2c56-51a8-4b7c-9d55-2f3f0a3b9e11
          scanner lag     stopped; 3 entries, 13 s behind
          reported        2026-12-07T10:01:00Z
          node            7c9e6679-7425-40de-944b-e07fc1f90ae7, up since 2026-12-07T10:00:00Z
        """, out);
    assertTrue(out.lines().allMatch(l -> l.length() <= 100), out);
  }

  @Test
  void aQueueThatCouldNotBeReadSaysWhyAndADepartureNotRecordedGivesNoTime() {
    String out = ServerListing.render(List.of(server("mbox4", false, null, null)), null,
        "NOT_ALLOWED");
    assertTrue(out.startsWith("mbox4: UNREACHABLE\n"), out);
    assertTrue(out.contains("  queue           not known (NOT_ALLOWED)\n"), out);
  }
}
