package io.storefleet.coordinator.shares;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.shares.BusShareServers;
import io.storefleet.shares.ShareClient;
import io.storefleet.shares.ShareServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The coordinator's share client maps a failed question to a server to the codes the worker's
 * bridge gives the same failure (worker/cluster's SameFailureSameCodeTest): nothing listening is
 * SERVER_UNAVAILABLE, no answer in time SERVER_TIMEOUT, a refusal keeps the remote code, and a
 * caller interrupted while waiting gets SERVER_TIMEOUT. Before, an interrupted caller got INTERNAL
 * and a lost server list was a SERVER_TIMEOUT naming "the server list" as its server.
 *
 * <p>Server {@code gone} has nothing listening; {@code mute} listens and never answers;
 * {@code refuses} answers every request with CONFLICT.
 */
class ShareClientSameCodeTest {
  private static final Duration PATIENT = Duration.ofSeconds(30);
  /** Long enough for a local reply, short enough to wait for a mute server a few times. */
  private static final Duration IMPATIENT = Duration.ofMillis(300);

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().<String>consumer(Addresses.workerShares("mute"), msg -> {}).completion().await();
    vertx.eventBus().<String>consumer(Addresses.workerShares("refuses"),
        msg -> BusErrors.fail(msg, ErrorCode.CONFLICT.exception("server refuses refuses", "refuses"), "refuses"))
        .completion().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void noServerListeningIsServerUnavailable() {
    everyQuestionAnswers("gone", PATIENT, ErrorCode.SERVER_UNAVAILABLE);
  }

  @Test
  void aServerThatDoesNotAnswerIsServerTimeout() {
    everyQuestionAnswers("mute", IMPATIENT, ErrorCode.SERVER_TIMEOUT);
  }

  @Test
  void aRemoteRefusalKeepsTheRemoteCode() {
    everyQuestionAnswers("refuses", PATIENT, ErrorCode.CONFLICT);
  }

  @Test
  void aCallerInterruptedWhileWaitingGetsServerTimeout() {
    ShareServers servers = servers(PATIENT, () -> Future.succeededFuture(List.of("mute")));
    Thread.currentThread().interrupt();
    try {
      StorefleetException e = assertThrows(StorefleetException.class, () -> servers.facts("mute"));
      assertEquals(ErrorCode.SERVER_TIMEOUT, e.code(), e.getMessage());
      assertFalse(e.code().definite());
      assertEquals("mute", e.server());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aServerListThatNeverComesIsServerTimeoutNamingNoServer() {
    // A list that never comes stands for a lost callback: the wait (the client's timeout and a
    // 5 s margin) ends it.
    ShareServers servers = servers(Duration.ofMillis(1), () -> Promise.<List<String>>promise().future());
    StorefleetException e = assertThrows(StorefleetException.class, servers::servers);
    assertEquals(ErrorCode.SERVER_TIMEOUT, e.code(), e.getMessage());
    assertEquals(null, e.server(), "the list is the directory's, not a server's");
  }

  private void everyQuestionAnswers(String server, Duration timeout, ErrorCode expected) {
    ShareServers servers = servers(timeout, () -> Future.succeededFuture(List.of(server)));
    List<Executable> questions = List.of(
        () -> servers.facts(server),
        () -> servers.facts(List.of(server)),
        () -> servers.translate(server, List.of()),
        () -> servers.apply(server, List.of()));
    for (int i = 0; i < questions.size(); i++) {
      StorefleetException e = assertThrows(StorefleetException.class, questions.get(i), "question " + i);
      assertEquals(expected, e.code(), "question " + i + ": " + e.getMessage());
      assertEquals(server, e.server(), "question " + i + " names the server that failed");
    }
  }

  private ShareServers servers(Duration timeout, Supplier<Future<List<String>>> list) {
    return new BusShareServers(new ShareClient(vertx, timeout), list);
  }
}
