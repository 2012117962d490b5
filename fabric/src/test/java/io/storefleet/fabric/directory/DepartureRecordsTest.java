package io.storefleet.fabric.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.wire.ServerDeparture;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The departures kept in {@code storefleet.serversLeft}: per server, the first record of its
 * current member (every member records the same removal), replaced by a later member's. The
 * directory's maps behave alike on one local Vert.x, so no cluster is started here.
 */
class DepartureRecordsTest {
  static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  final Vertx vertx = Vertx.vertx();
  final ClusterDirectory directory = new ClusterDirectory(vertx);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void serve(String server, String node) {
    directory.putServer(new ServerInfo(server, node, T, "local", "/b/" + server, 0, null)).await();
  }

  @Test
  void theFirstRecordOfAMemberStaysAndALaterMembersReplacesIt() {
    serve("mbox1", "node-a");
    serve("mbox2", "node-b");
    directory.recordDeparture("node-a", T.plusSeconds(1)).await();
    directory.recordDeparture("node-a", T.plusSeconds(2)).await();
    assertEquals(Map.of("mbox1", new ServerDeparture("node-a", T.plusSeconds(1))), directory.departures().await(),
        "the first member to see the removal gives the time; mbox2's member did not leave");
    serve("mbox1", "node-c");
    directory.recordDeparture("node-c", T.plusSeconds(9)).await();
    assertEquals(Map.of("mbox1", new ServerDeparture("node-c", T.plusSeconds(9))), directory.departures().await());
    directory.recordDeparture("node-x", T.plusSeconds(10)).await();
    assertEquals(1, directory.departures().await().size(), "a member that served no server leaves no record");
    directory.clearDeparture("mbox1").await();
    assertEquals(Map.of(), directory.departures().await());
  }
}
