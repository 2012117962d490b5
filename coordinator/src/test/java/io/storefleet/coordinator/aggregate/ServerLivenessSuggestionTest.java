package io.storefleet.coordinator.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.wire.ServerInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an unknown --host is told (issue 18, item 12). */
class ServerLivenessSuggestionTest {
  static final List<ServerInfo> SERVERS = List.of(
      new ServerInfo("mbox1", "n1", Instant.EPOCH, "local", "/b1", 0, true),
      new ServerInfo("mbox2", "n2", Instant.EPOCH, "local", "/b2", 0, true));

  @Test
  void aMistypedAllServersIsPointedToTheUnderscore() {
    assertTrue(ServerLiveness.suggestion("all-servers", SERVERS).contains("did you mean all_servers?"));
    assertTrue(ServerLiveness.suggestion("allservers", SERVERS).contains("did you mean all_servers?"));
  }

  @Test
  void anIdInAnotherCaseIsToldIdsAreCaseSensitive() {
    assertEquals(" (server ids are case-sensitive: did you mean mbox2?)", ServerLiveness.suggestion("MBOX2", SERVERS));
  }

  @Test
  void anythingElseGetsNoGuess() {
    assertEquals("", ServerLiveness.suggestion("mail7", SERVERS));
  }
}
