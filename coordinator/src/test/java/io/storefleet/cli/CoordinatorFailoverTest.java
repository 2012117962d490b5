package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.CommandSubmission;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI given several coordinators: a connection failure (refused, or dropped before the
 * answer) moves the same request, with its request id, to the next one; an answer, even an
 * error, does not. Coordinators here are small JDK HTTP servers.
 */
class CoordinatorFailoverTest {
  private static final String OK = "{\"kind\":\"reply\",\"reply\":{\"server\":\"mbox1\",\"proxied\":false,"
      + "\"result\":{},\"text\":\"ok\"},\"text\":\"ok\"}";
  private static final String UNAVAILABLE = "{\"error\":{\"code\":\"SERVER_UNAVAILABLE\",\"numeric\":3001,"
      + "\"definite\":false,\"message\":\"server mbox1 is not reachable\",\"server\":\"mbox1\"}}";

  @TempDir Path dir;
  final List<HttpServer> servers = new ArrayList<>();
  final ByteArrayOutputStream notices = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A coordinator answering every request with {@code status} and {@code body}, keeping the bodies it got. */
  String coordinator(int status, String body, List<String> received) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext("/", ex -> {
      received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  static String closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  ApiClient client(String... urls) {
    return new ApiClient(List.of(urls), "t", new KnownCoordinators(dir.resolve("known")),
        new PrintStream(notices, true, StandardCharsets.UTF_8));
  }

  static CommandSubmission scan(String id) {
    return new CommandSubmission("backup", List.of("doSmartScan"), "mbox1", id);
  }

  @Test
  void aRefusedConnectionMovesTheRequestToTheNextCoordinator() throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    String dead = closedPort();
    String live = coordinator(200, OK, got);
    JsonNode answer = client(dead, live).post("/api/v1/commands", scan("id-1"));
    assertEquals("ok", answer.path("text").asText());
    assertEquals("id-1", Json.MAPPER.readTree(got.get(0)).path("requestId").asText());
    String said = notices.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("cannot connect to the coordinator at " + dead) && said.contains("trying the coordinator at "
        + live), said);
  }

  @Test
  void aConnectionDroppedBeforeTheAnswerSendsTheSameRequestIdToTheNext() throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    String live = coordinator(200, OK, got);
    try (ServerSocket dropper = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Reads the whole request, then closes without answering: a coordinator killed mid-request.
      CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> readThenDrop(dropper));
      client("http://127.0.0.1:" + dropper.getLocalPort(), live).post("/api/v1/commands", scan("id-2"));
      assertTrue(seen.join().contains("\"requestId\":\"id-2\""), seen.join());
    }
    assertEquals(1, got.size());
    assertEquals("id-2", Json.MAPPER.readTree(got.get(0)).path("requestId").asText(), "the same id, not a new one");
  }

  @Test
  void aChangeWithoutRequestIdIsNotSentAgainAfterAConnectionDroppedMidRequest() throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    String live = coordinator(200, OK, got);
    try (ServerSocket dropper = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> dropped = CompletableFuture.supplyAsync(() -> readThenDrop(dropper));
      // A token creation has no request id: the first coordinator may have made the token.
      StorefleetException e = assertThrows(StorefleetException.class, () -> client(
          "http://127.0.0.1:" + dropper.getLocalPort(), live).post("/api/v1/tokens", java.util.Map.of("name", "x")));
      dropped.join();
      assertEquals(ErrorCode.SERVER_TIMEOUT, e.code());
      assertFalse(e.code().definite());
      assertTrue(e.getMessage().contains("may have taken effect"), e.getMessage());
    }
    assertEquals(List.of(), got, "not sent to the next coordinator");
  }

  @Test
  void tokenChangesWithARequestIdAreSentAgainAfterAConnectionDroppedMidRequest() throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    String live = coordinator(200, OK, got);
    try (ServerSocket dropper = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
      CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          requests.add(readThenDrop(dropper));
        }
        return requests;
      });
      ApiClient client = client("http://127.0.0.1:" + dropper.getLocalPort(), live);
      client.post("/api/v1/tokens", new TokenRequest("x", "viewer", List.of(), "id-4"));
      // The client now asks the live coordinator first; the next request goes to the dropper again.
      client(("http://127.0.0.1:" + dropper.getLocalPort()), live).delete("/api/v1/tokens/x", "id-5");
      List<String> dropped = seen.join();
      assertTrue(dropped.get(0).contains("\"requestId\":\"id-4\""), dropped.get(0));
      assertTrue(dropped.get(1).startsWith("DELETE /api/v1/tokens/x?requestId=id-5 "), dropped.get(1));
    }
    assertEquals(2, got.size(), "both sent again to the next coordinator");
    assertEquals("id-4", Json.MAPPER.readTree(got.get(0)).path("requestId").asText());
  }

  /** Reads one whole request (headers, then as much body as they announce), then closes without answering. */
  private static String readThenDrop(ServerSocket server) {
    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
      StringBuilder sb = new StringBuilder();
      byte[] buf = new byte[8192];
      while (!complete(sb.toString())) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      return sb.toString();
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private static boolean complete(String request) {
    int end = request.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)")
        .matcher(request.substring(0, end));
    return request.length() - end - 4 >= (m.find() ? Integer.parseInt(m.group(1)) : 0);
  }

  @Test
  void anErrorAnswerIsFinalAndTheNextCoordinatorIsNotAsked() throws Exception {
    List<String> first = Collections.synchronizedList(new ArrayList<>());
    List<String> second = Collections.synchronizedList(new ArrayList<>());
    String busy = coordinator(503, UNAVAILABLE, first);
    String other = coordinator(200, OK, second);
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> client(busy, other).post("/api/v1/commands", scan("id-3")));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertEquals("mbox1", e.server(), "the worker's answer, not a connection failure");
    assertEquals(1, first.size());
    assertEquals(List.of(), second);
  }

  @Test
  void whenNoCoordinatorAnswersEachFailureIsNamed() throws Exception {
    String a = closedPort();
    String b = closedPort();
    StorefleetException e = assertThrows(StorefleetException.class, () -> client(a, b).get("/api/v1/servers"));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains(a) && e.getMessage().contains(b), e.getMessage());
  }

  @Test
  void theCoordinatorThatAnsweredIsAskedFirstAfterwards() throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    String dead = closedPort();
    ApiClient c = client(dead, coordinator(200, OK, got));
    c.get("/api/v1/servers");
    int noticesAfterFirst = notices.size();
    c.get("/api/v1/servers");
    assertEquals(noticesAfterFirst, notices.size(), "no second attempt at the dead one");
    assertEquals(2, got.size());
  }

  @Test
  void theCliSendsOneNewRequestIdPerInvocationAndTakesSeveralUrls() throws Exception {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    String live = coordinator(200, OK, got);
    String dead = closedPort();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StorefleetCli.Environment env = new StorefleetCli.Environment(dead + "," + live, "t", 10, dir.resolve("known"));
    for (int i = 0; i < 2; i++) {
      int code = StorefleetCli.run(new String[] {"--host", "mbox1", "backup", "doSmartScan"},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    }
    int flagged = StorefleetCli.run(new String[] {"--url", dead, "--url", live, "--host", "mbox1", "backup",
        "doSmartScan"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new StorefleetCli.Environment(closedPort(), "t", 10,
            dir.resolve("known")));
    assertEquals(0, flagged, "--url replaces the environment's URL: " + err.toString(StandardCharsets.UTF_8));
    assertEquals(3, got.size());
    List<String> ids = new ArrayList<>();
    for (String body : got) {
      ids.add(Json.MAPPER.readTree(body).path("requestId").asText(null));
    }
    ids.forEach(id -> assertNotNull(id));
    assertNotEquals(ids.get(0), ids.get(1), "each invocation has its own id");
    assertFalse(ids.get(0).isBlank());
  }

  @Test
  void aUrlWithoutSchemeIsRefusedNamingIt() {
    CliUsageException e = assertThrows(CliUsageException.class,
        () -> CliOptions.parse(new String[] {"--url", "coord1:8080", "servers"}));
    assertTrue(e.getMessage().contains("'coord1:8080' needs https://"), e.getMessage());
  }
}
