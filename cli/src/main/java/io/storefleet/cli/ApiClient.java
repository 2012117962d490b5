package io.storefleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The coordinator's HTTP API as the CLI uses it. */
final class ApiClient {
  private final HttpClient http;
  private final String baseUrl;
  private final String token;

  ApiClient(String baseUrl, String token) {
    this(baseUrl, token, new KnownCoordinators(KnownCoordinators.defaultFile()), System.err);
  }

  /** With https, a certificate no CA vouches for is pinned in {@code known} on first use; notices go to {@code err}. */
  ApiClient(String baseUrl, String token, KnownCoordinators known, java.io.PrintStream err) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (this.baseUrl.startsWith("https:")) {
      b.sslContext(PinningTrust.context(known, err));
    }
    this.http = b.build();
  }

  JsonNode get(String path) {
    return send(request(path).GET().build());
  }

  JsonNode post(String path, Object body) {
    return send(request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
        .build());
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE().build());
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest req) {
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw ErrorCode.SERVER_UNAVAILABLE.exception(
          "cannot connect to the coordinator at " + baseUrl + "; start the cluster (deploy/run-local.sh)"
              + " or set STOREFLEET_URL");
    } catch (IOException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof PinningTrust.CertificateChangedException changed) {
          throw ErrorCode.UNAUTHORIZED.exception(changed.getMessage());
        }
      }
      throw ErrorCode.SERVER_UNAVAILABLE.exception("coordinator at " + baseUrl + " failed: " + e.getMessage()
          + (baseUrl.startsWith("http:") ? "; if it serves https (the default), set STOREFLEET_URL=https://..." : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.INTERNAL.exception("interrupted");
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(res.body());
    } catch (IOException e) {
      throw ErrorCode.INTERNAL.exception("coordinator answered HTTP " + res.statusCode() + " with non-JSON: " + res.body());
    }
    if (res.statusCode() >= 400) {
      JsonNode err = body.path("error");
      if (err.isObject()) {
        throw Json.fromTree(err, ErrorInfo.class).toException();
      }
      throw new StorefleetException(ErrorCode.INTERNAL, "HTTP " + res.statusCode() + ": " + res.body(), null);
    }
    return body;
  }
}
