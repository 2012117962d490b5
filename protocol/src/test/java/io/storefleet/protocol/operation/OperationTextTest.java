package io.storefleet.protocol.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operation's detail as the CLI prints it (issue 18, items 8 and 12). */
class OperationTextTest {
  static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void parametersReadAsTheyAreTypedAndDatesSayTheirOffset() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("account", "ann@example.com");
    params.put("start_date", "01/02/2026 10:00:00");
    params.put("deep", "true");
    Operation op = new Operation("30ed9eb9-eb28-4ca6-b65e-994065400001", "mbox1", "doUndelete", params, "admin",
        null, 1, OperationState.SUCCEEDED, T, T, T, null, null, null, List.of());
    String detail = OperationText.detail(op);
    assertTrue(detail.contains("parameters  account ann@example.com, start_date \"01/02/2026 10:00:00\", deep true\n"),
        detail);
    assertTrue(detail.matches("(?s).*queued\\s+\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d\n.*"), detail);
    assertEquals("(none)", OperationText.parameters(Map.of()));
  }
}
