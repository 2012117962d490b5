package io.storefleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinators' HTTP API as the CLI uses it. Given several coordinators, a request that
 * cannot reach one (refused, reset, no answer before the timeout) is sent to the next, the same
 * bytes, so a command keeps its request id; an answer, error or not, is final. The coordinator
 * that answered is asked first from then on.
 */
final class ApiClient {
  private final HttpClient http;
  private final List<String> baseUrls;
  private final String token;
  private final PrintStream notices;
  private int current;

  ApiClient(String baseUrl, String token) {
    this(Coordinators.parse(baseUrl), token, new KnownCoordinators(KnownCoordinators.defaultFile()), System.err);
  }

  ApiClient(String baseUrl, String token, KnownCoordinators known, PrintStream err) {
    this(Coordinators.parse(baseUrl), token, known, err);
  }

  /**
   * With https, a certificate no CA vouches for is pinned in {@code known} on first use, one pin
   * per coordinator; notices (pins, moving to another coordinator) go to {@code err}.
   */
  ApiClient(List<String> baseUrls, String token, KnownCoordinators known, PrintStream err) {
    if (baseUrls.isEmpty()) {
      throw new CliUsageException("no coordinator URL given; set STOREFLEET_URL or --url");
    }
    List<String> bases = new ArrayList<>();
    for (String u : baseUrls) {
      bases.add(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }
    this.baseUrls = List.copyOf(bases);
    this.token = token;
    this.notices = err;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (this.baseUrls.stream().anyMatch(u -> u.startsWith("https:"))) {
      b.sslContext(PinningTrust.context(known, err));
    }
    this.http = b.build();
  }

  JsonNode get(String path) {
    return send(path, true, r -> r.GET());
  }

  /**
   * A change with a request id ({@code requestId} in its body) may be sent again to the next
   * coordinator whatever happened to the first send (a repeat gets the first answer); any other
   * change only when the first coordinator could not be reached at all, since it may have taken effect.
   */
  JsonNode post(String path, Object body) {
    String json = Json.encode(body);
    boolean repeatable = Json.tree(body).hasNonNull("requestId");
    return send(path, repeatable,
        r -> r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A deletion under a request id (the {@code requestId} query parameter): repeatable, as a post with one. */
  JsonNode delete(String path, String requestId) {
    return send(path + (path.contains("?") ? "&" : "?") + "requestId=" + encode(requestId), true, r -> r.DELETE());
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private interface Method {
    HttpRequest.Builder apply(HttpRequest.Builder r);
  }

  private JsonNode send(String path, boolean repeatable, Method method) {
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < baseUrls.size(); i++) {
      int at = (current + i) % baseUrls.size();
      String base = baseUrls.get(at);
      HttpResponse<String> res;
      try {
        res = http.send(method.apply(HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + token)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        refuseChangedCertificate(e);
        if (!repeatable && !notSent(e)) {
          throw ErrorCode.SERVER_TIMEOUT.exception("the coordinator at " + base + " failed after the request was sent ("
              + e + "); it may have taken effect: check before sending it again");
        }
        String why = unreachable(base, e);
        failures.add(why);
        if (i + 1 < baseUrls.size()) {
          notices.println("storefleet: " + why + "; trying the coordinator at "
              + baseUrls.get((at + 1) % baseUrls.size()) + " (the same request)");
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ErrorCode.INTERNAL.exception("interrupted");
      }
      current = at;
      return answer(res);
    }
    throw ErrorCode.SERVER_UNAVAILABLE.exception(failures.size() == 1 ? failures.get(0)
        : "no coordinator could be reached: " + String.join("; ", failures));
  }

  /** Whether the request cannot have reached the coordinator: no connection was made. */
  private static boolean notSent(IOException e) {
    return e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
  }

  /** A pinned certificate that changed is a refusal, not a coordinator to skip. */
  private static void refuseChangedCertificate(IOException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof PinningTrust.CertificateChangedException changed) {
        throw ErrorCode.UNAUTHORIZED.exception(changed.getMessage());
      }
    }
  }

  private static String unreachable(String base, IOException e) {
    if (e instanceof ConnectException) {
      return "cannot connect to the coordinator at " + base + "; start the cluster (deploy/run-local.sh)"
          + " or set STOREFLEET_URL";
    }
    return "coordinator at " + base + " failed: " + e
        + (base.startsWith("http:") ? "; if it serves https (the default), set STOREFLEET_URL=https://..." : "");
  }

  private static JsonNode answer(HttpResponse<String> res) {
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
