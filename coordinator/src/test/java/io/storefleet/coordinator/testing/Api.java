package io.storefleet.coordinator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandSubmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** A coordinator's HTTP API as tests call it. */
public final class Api {
  /** An HTTP answer: the status and the JSON body. */
  public record Answer(int status, JsonNode body) {
    public ApiResult result() {
      if (status != 200) {
        throw new AssertionError("expected success, got HTTP " + status + ": " + body);
      }
      return Json.fromTree(body, ApiResult.class);
    }

    public ErrorInfo error() {
      if (status == 200) {
        throw new AssertionError("expected an error, got " + body);
      }
      return Json.fromTree(body.path("error"), ErrorInfo.class);
    }
  }

  /** How a request reaches the coordinator: its method, path, JSON body (or null) and whether it carries the token. */
  interface Transport {
    CompletableFuture<Answer> send(String method, String path, String body, boolean withToken);
  }

  private final String base;
  private final String token;
  private final java.util.Map<String, String> headers;
  private final Transport transport;

  Api(String base, String token) {
    this(base, token, java.util.Map.of());
  }

  private Api(String base, String token, java.util.Map<String, String> headers) {
    this.base = base;
    this.token = token;
    this.headers = headers;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.transport = (method, path, body, withToken) -> {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
      if (withToken) {
        req.header("Authorization", "Bearer " + token);
        headers.forEach(req::header);
      }
      if (body != null) {
        req.header("Content-Type", "application/json");
      }
      req.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer);
    };
  }

  /** A coordinator reached through {@code transport} (e.g. curl inside a network namespace). */
  Api(String base, String token, Transport transport) {
    this.base = base;
    this.token = token;
    this.headers = java.util.Map.of();
    this.transport = transport;
  }

  /** The same coordinator called with another token. */
  public Api as(String otherToken) {
    return new Api(base, otherToken, headers);
  }

  /** The same coordinator and token, every request also sending {@code name: value}. */
  public Api withHeader(String name, String value) {
    java.util.Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return new Api(base, token, java.util.Map.copyOf(more));
  }

  public String base() {
    return base;
  }

  public String token() {
    return token;
  }

  /** Submits a backup command; {@code target} may be null. */
  public Answer backup(String target, String... args) {
    return submit("backup", target, args).join();
  }

  public Answer admin(String target, String... args) {
    return submit("admin", target, args).join();
  }

  public CompletableFuture<Answer> submit(String module, String target, String... args) {
    return transport.send("POST", "/api/v1/commands",
        Json.encode(new CommandSubmission(module, Arrays.asList(args), target)), true);
  }

  /** POSTs a JSON body to a route. */
  public Answer post(String path, Object body) {
    return transport.send("POST", path, Json.encode(body), true).join();
  }

  /** POSTs a body exactly as given, JSON or not (the fuzz tests). */
  public Answer postRaw(String path, String body) {
    return transport.send("POST", path, body, true).join();
  }

  public Answer get(String path) {
    return transport.send("GET", path, null, true).join();
  }

  public Answer getWithoutToken(String path) {
    return transport.send("GET", path, null, false).join();
  }

  public Answer delete(String path) {
    return transport.send("DELETE", path, null, true).join();
  }

  /** The raw text of a streamed answer (the SSE progress stream), read until the server ends it. */
  public String stream(String path) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
    headers.forEach(req::header);
    return HttpClient.newHttpClient().sendAsync(req.GET().build(), HttpResponse.BodyHandlers.ofString()).join().body();
  }

  /** One operation by uuid alone. */
  public Operation operation(String uuid) {
    Answer a = get("/api/v1/operations/" + uuid);
    if (a.status() != 200) {
      throw new AssertionError("operation " + uuid + ": " + a.body());
    }
    return Json.fromTree(a.body(), Operation.class);
  }

  private static Answer answer(HttpResponse<String> res) {
    return answer(res.statusCode(), res.body());
  }

  static Answer answer(int status, String body) {
    try {
      return new Answer(status, Json.MAPPER.readTree(body));
    } catch (Exception e) {
      throw new AssertionError("HTTP " + status + " non-JSON body: " + body, e);
    }
  }
}
