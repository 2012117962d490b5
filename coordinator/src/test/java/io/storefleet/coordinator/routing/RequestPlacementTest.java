package io.storefleet.coordinator.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a request id goes (docs/protocol.md, "A repeat goes where the first went"), on one local
 * Vert.x: its shared data stands in for the cluster map, fake workers answer on the event bus,
 * and the live members are a set the test changes. mbox3 is registered and live but has no
 * worker listening, so a send to it reaches no one.
 */
class RequestPlacementTest {
  Vertx vertx;
  final Set<String> liveNodes = ConcurrentHashMap.newKeySet();
  final List<String> received = Collections.synchronizedList(new ArrayList<>());
  RequestPlacement placement;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ClusterDirectory directory = new ClusterDirectory(vertx);
    for (String s : List.of("mbox1", "mbox2", "mbox3")) {
      directory.putServer(new ServerInfo(s, "node-" + s, Instant.EPOCH, "local", "/b", 0, null)).await();
      liveNodes.add("node-" + s);
    }
    for (String s : List.of("mbox1", "mbox2")) {
      vertx.eventBus().<String>consumer(Addresses.workerCommands(s), msg -> {
        CommandRequest req = Json.decode(msg.body(), CommandRequest.class);
        received.add(s + " " + req.requestId());
        if (req.command().equals("failing")) {
          BusErrors.fail(msg, ErrorCode.UNKNOWN_ACCOUNT.exception("no such account"), s);
        } else {
          msg.reply(Json.encode(new CommandReply(s, false, null, null, null, "ok on " + s)));
        }
      }).completion().await();
    }
    placement = placementOf(new ClusterDirectory(vertx));
  }

  /** A coordinator's placement: its own directory handle over the shared map. */
  private RequestPlacement placementOf(ClusterDirectory directory) {
    return new RequestPlacement(directory, new ServerLiveness(directory, () -> Set.copyOf(liveNodes), Clock.systemUTC()),
        new WorkerClient(vertx, Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static CommandRequest request(String command, String requestId) {
    return new CommandRequest("admin", command, Map.of("account", "bob@example.com"), null, null, "t", requestId);
  }

  @Test
  void aDeliveredSendIsRememberedAndItsRepeatGoesToTheSameServer() {
    CommandRequest req = request("createAccount", "r-1");
    assertEquals("mbox1", placement.send("mbox1", req).await().server());
    assertEquals(Optional.of("mbox1"), placement.placed("r-1").await());
    assertEquals("mbox1", placement.resend("mbox1", req).await().server());
    assertEquals(List.of("mbox1 r-1", "mbox1 r-1"), received);
  }

  @Test
  void aSendTheWorkerAnsweredWithAnErrorStaysPlaced() {
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> placement.send("mbox2", request("failing", "r-err")).await());
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT, e.code());
    assertEquals(Optional.of("mbox2"), placement.placed("r-err").await());
  }

  @Test
  void aRepeatWhoseServerIsDownIsUnavailableNamingItAndNotRunElsewhere() {
    CommandRequest req = request("deleteAccount", "r-2");
    placement.send("mbox1", req).await();
    received.clear();
    liveNodes.remove("node-mbox1");

    StorefleetException e = assertThrows(StorefleetException.class, () -> placement.resend("mbox1", req).await());
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertEquals("mbox1", e.server());
    assertTrue(e.getMessage().contains("request r-2 was first sent to mbox1"), e.getMessage());
    assertEquals(List.of(), received, "the repeat ran somewhere");
    assertEquals(Optional.of("mbox1"), placement.placed("r-2").await(), "the placement was dropped");
  }

  @Test
  void aSendThatReachedNoServerIsForgottenSoItCanBePlacedAgain() {
    CommandRequest req = request("createAccount", "r-3");
    StorefleetException e = assertThrows(StorefleetException.class, () -> placement.send("mbox3", req).await());
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertEquals("mbox3", e.server());
    assertEquals(Optional.empty(), placement.placed("r-3").await());

    assertEquals("mbox2", placement.send("mbox2", req).await().server());
    assertEquals(Optional.of("mbox2"), placement.placed("r-3").await());
    assertEquals(List.of("mbox2 r-3"), received);
  }

  @Test
  void twoCoordinatorsPlacingOneIdAtOnceAgreeOnOneServer() {
    RequestPlacement other = placementOf(new ClusterDirectory(vertx));
    for (int i = 0; i < 20; i++) {
      CommandRequest req = request("createAccount", "r-race-" + i);
      Future<CommandReply> a = placement.send("mbox1", req);
      Future<CommandReply> b = other.send("mbox2", req);
      String server = a.await().server();
      assertEquals(server, b.await().server(), "round " + i);
      assertEquals(Optional.of(server), placement.placed(req.requestId()).await());
      assertEquals(Optional.of(server), other.placed(req.requestId()).await());
    }
    assertEquals(40, received.size());
    for (int i = 0; i < 20; i++) {
      String id = "r-race-" + i;
      assertEquals(1, received.stream().filter(m -> m.endsWith(" " + id)).map(m -> m.split(" ")[0]).distinct().count(),
          id + " went to two servers: " + received);
    }
  }
}
