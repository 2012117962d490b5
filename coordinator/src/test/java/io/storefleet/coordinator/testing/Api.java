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

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final java.util.Map<String, String> headers;

  Api(String base, String token) {
    this(base, token, java.util.Map.of());
  }

  private Api(String base, String token, java.util.Map<String, String> headers) {
    this.base = base;
    this.token = token;
    this.headers = headers;
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
    String body = Json.encode(new CommandSubmission(module, Arrays.asList(args), target));
    HttpRequest req = request("/api/v1/commands")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer);
  }

  /** POSTs a JSON body to a route. */
  public Answer post(String path, Object body) {
    HttpRequest req = request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
        .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer).join();
  }

  public Answer get(String path) {
    return http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer).join();
  }

  public Answer getWithoutToken(String path) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer).join();
  }

  public Answer delete(String path) {
    return http.sendAsync(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString()).thenApply(Api::answer).join();
  }

  /** The raw text of a streamed answer (the SSE progress stream), read until the server ends it. */
  public String stream(String path) {
    return http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).join().body();
  }

  /** One operation by uuid alone. */
  public Operation operation(String uuid) {
    Answer a = get("/api/v1/operations/" + uuid);
    if (a.status() != 200) {
      throw new AssertionError("operation " + uuid + ": " + a.body());
    }
    return Json.fromTree(a.body(), Operation.class);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
    headers.forEach(b::header);
    return b;
  }

  private static Answer answer(HttpResponse<String> res) {
    try {
      return new Answer(res.statusCode(), Json.MAPPER.readTree(res.body()));
    } catch (Exception e) {
      throw new AssertionError("HTTP " + res.statusCode() + " non-JSON body: " + res.body(), e);
    }
  }
}
