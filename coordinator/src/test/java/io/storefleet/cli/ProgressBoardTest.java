package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broadcast --progress display: a line per server, cut to the width (issue 18, item 11). */
class ProgressBoardTest {
  static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  static Operation scan(String server, long done, long bytes, String unit) {
    return new Operation("30ed9eb9-eb28-4ca6-b65e-99406540000" + server.charAt(server.length() - 1), server,
        "doSmartScan", Map.of(), "admin", null, 1, OperationState.RUNNING, T, T, null,
        new Progress("scanning someone.with.a.long.name@a-rather-long-domain.example", done, 300, bytes, 12, T, unit),
        null, null, List.of());
  }

  @Test
  void aBroadcastHasOneLinePerServerWithinTheWidth() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBoard board = new ProgressBoard(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 60);
    board.show(List.of(scan("mbox1", 10, 2048, null), scan("mbox2", 20, 0, null), scan("mbox3", 30, 0, null)));
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, lines.size(), lines.toString());
    for (int i = 0; i < 3; i++) {
      assertTrue(lines.get(i).startsWith("mbox" + (i + 1) + " doSmartScan: RUNNING — "), lines.get(i));
      assertTrue(lines.get(i).length() <= 60, lines.get(i));
    }
    assertTrue(lines.get(0).contains("10/300 items, 3%, 2.0 KiB"), lines.get(0));
  }

  @Test
  void onlyChangedLinesArePrintedAgainWhenNotOnATerminal() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBoard board = new ProgressBoard(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 0);
    board.show(List.of(scan("mbox1", 10, 0, null), scan("mbox2", 20, 0, null)));
    buf.reset();
    board.show(List.of(scan("mbox1", 10, 0, null), scan("mbox2", 21, 0, null)));
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("mbox2"), lines.get(0));
  }

  @Test
  void onATerminalTheLinesAreRedrawnInPlace() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBoard board = new ProgressBoard(new PrintStream(buf, true, StandardCharsets.UTF_8), true, 40);
    board.show(List.of(scan("mbox1", 10, 0, null), scan("mbox2", 20, 0, null), scan("mbox3", 30, 0, null)));
    buf.reset();
    board.show(List.of(scan("mbox1", 11, 0, null), scan("mbox2", 20, 0, null), scan("mbox3", 30, 0, null)));
    String drawn = buf.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.startsWith("\r\u001b[2A"), "back up to the first of three lines: " + drawn);
    for (String line : drawn.substring("\r\u001b[2A".length()).split("\n")) {
      assertTrue(line.replace("\u001b[K", "").length() <= 40, line);
    }
  }

  @Test
  void theCountNamesWhatItCounts() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    new ProgressBoard(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 0)
        .show(List.of(scan("mbox1", 2, 0, "accounts")));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("2/300 accounts"), buf.toString(StandardCharsets.UTF_8));
  }
}
