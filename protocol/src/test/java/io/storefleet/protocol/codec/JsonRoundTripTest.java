package io.storefleet.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Progress;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.BroadcastReply;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.CommandSubmission;
import io.storefleet.protocol.wire.OperationTable;
import io.storefleet.protocol.wire.ServerDeparture;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {
  static final Instant T = Instant.parse("2026-11-21T10:15:30.123Z");

  static Operation operation() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("restored", 15233L);
    counters.put("skipped", 125L);
    return new Operation("30ed9eb9-eb28-4ca6-b65e-9940654b8601", "mbox2", "doSmartScan",
        Map.of("deep", "true"), "admin", "mbox1", 7, OperationState.FAILED, T, T.plusSeconds(1),
        T.plusSeconds(9), new Progress("scanning", 5, 10, 4096, 3, T.plusSeconds(5)),
        new OperationStats(counters, List.of(new Unrestored("a@b.c", 1255, "read error")), "verdict"),
        ErrorInfo.of(ErrorCode.IO_ERROR.exception("disk full", "mbox2")),
        List.of(new Notification(List.of("ops@example.com"), "doSmartScan FAILED on mbox2", "detail",
            T.plusSeconds(9), "recorded")));
  }

  static <T> void roundTrip(T value, Class<T> type) {
    String json = Json.encode(value);
    T back = Json.decode(json, type);
    assertEquals(json, Json.encode(back), type.getSimpleName());
  }

  @Test
  void everyWireTypeRoundTrips() {
    Operation op = operation();
    roundTrip(op, Operation.class);
    assertEquals(op.stats().counters(), Json.decode(Json.encode(op), Operation.class).stats().counters());
    CommandRequest req = new CommandRequest("backup", "doUndelete", Map.of("account", "a@b.c"), "mbox1", "mbox3", "ops");
    roundTrip(req, CommandRequest.class);
    CommandReply reply = new CommandReply("mbox2", true, "mbox1", op, Json.tree(Map.of("k", 1)), "text");
    roundTrip(reply, CommandReply.class);
    ServerResult ok = new ServerResult("mbox1", reply, null);
    ServerResult bad = new ServerResult("mbox3", null, ErrorInfo.of(ErrorCode.SERVER_TIMEOUT.exception("slow", "mbox3")));
    roundTrip(new BroadcastReply(List.of(ok, bad)), BroadcastReply.class);
    roundTrip(new OperationTable(List.of(op), List.of(bad)), OperationTable.class);
    roundTrip(ApiResult.of(reply, "t"), ApiResult.class);
    roundTrip(new ServerInfo("mbox1", "node", T, "local", "/b", 10, true), ServerInfo.class);
    roundTrip(new AccountLocation("a@b.c", "id", "mbox1"), AccountLocation.class);
    roundTrip(new CommandSubmission("admin", List.of("listAccounts"), "all_servers"), CommandSubmission.class);
  }

  @Test
  void aServersHealthTravelsAndAnUnreachableServerIsDatedByItsMembersDeparture() {
    io.storefleet.protocol.wire.ServerHealth health = new io.storefleet.protocol.wire.ServerHealth(T, 4096L, T,
        new io.storefleet.protocol.wire.ServerHealth.LastSmartScan("u1", T, "FAILED"), 3L, 12.5, true);
    java.time.Instant left = T.plusSeconds(9);
    ServerDeparture departure = new ServerDeparture("node", left);
    roundTrip(departure, ServerDeparture.class);
    ServerInfo registered = new ServerInfo("mbox1", "node", T, "local", "/b", 10, null);
    ServerInfo down = registered.withReachable(false).withHealth(health, departure);
    roundTrip(down, ServerInfo.class);
    assertEquals(left, down.unreachableSince(), "the departure, not the last report");
    assertEquals(health, Json.decode(Json.encode(down), ServerInfo.class).health());
    assertEquals(null, registered.withReachable(true).withHealth(health, departure).unreachableSince(),
        "up: no since");
    assertEquals(null, registered.withReachable(false).withHealth(health, null).unreachableSince(),
        "no departure recorded");
    assertEquals(null, registered.withReachable(false).withHealth(health, new ServerDeparture("older-node", left))
        .unreachableSince(), "the departure of an earlier member says nothing of the current one");
  }

  @Test
  void requestIdsAndRepeatsTravel() {
    CommandSubmission sub = new CommandSubmission("backup", List.of("doSmartScan"), "mbox1", "r-1");
    roundTrip(sub, CommandSubmission.class);
    assertEquals("r-1", Json.decode(Json.encode(sub), CommandSubmission.class).requestId());
    CommandRequest req = new CommandRequest("backup", "doSmartScan", Map.of(), null, null, "ops", "r-1");
    assertEquals("r-1", Json.decode(Json.encode(req.forwardedBy("mbox2")), CommandRequest.class).requestId());
    assertEquals("r-1", req.addressedTo("mbox3").requestId());
    Operation op = operation();
    Operation withId = new Operation(op.uuid(), op.server(), op.command(), op.params(), op.requester(), op.via(),
        op.seq(), op.state(), op.queuedAt(), op.startedAt(), op.endedAt(), op.progress(), op.stats(), op.error(),
        op.notifications(), "r-1");
    assertEquals("r-1", Json.decode(Json.encode(withId.withState(op.state(), T)), Operation.class).requestId());
    CommandReply first = new CommandReply("mbox1", false, null, withId, null, "queued");
    assertFalse(Json.encode(first).contains("repeat"), "a first answer has no repeat field");
    assertTrue(Json.decode(Json.encode(first.asRepeat().proxiedVia("mbox2")), CommandReply.class).repeated());
    // An answer from a node before v8 reads as a first answer.
    assertFalse(Json.decode("{\"server\":\"mbox1\",\"proxied\":false,\"text\":\"ok\"}", CommandReply.class)
        .repeated());
  }

  @Test
  void errorsKeepCodeDefiniteAndServer() {
    ErrorInfo info = Json.decode(Json.encode(ErrorInfo.of(ErrorCode.SERVER_UNAVAILABLE.exception("gone", "mbox2"))), ErrorInfo.class);
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, info.toException().code());
    assertEquals(false, info.definite());
    assertEquals("mbox2", info.toException().server());
  }

  @Test
  void unknownFieldsFromNewerNodesAreIgnored() {
    AccountLocation loc = Json.decode("{\"name\":\"a@b.c\",\"accountId\":\"i\",\"server\":\"s\",\"future\":1}", AccountLocation.class);
    assertEquals("s", loc.server());
  }

  @Test
  void anEmptyBodyOrJsonNullIsMalformedNotAnInternalError() {
    // JSON null used to decode to a null object that callers then dereferenced.
    for (String body : new String[] {null, "", "  ", "null"}) {
      io.storefleet.protocol.error.StorefleetException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.storefleet.protocol.error.StorefleetException.class, () -> Json.decode(body, CommandSubmission.class));
      assertEquals(ErrorCode.MALFORMED_REQUEST, e.code(), String.valueOf(body));
    }
  }
}
