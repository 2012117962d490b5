package io.storefleet.worker.testing;

import com.sun.net.httpserver.HttpServer;
import io.storefleet.worker.notify.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local webhook receiver that does what docs/operations.md tells receivers to do: it checks the
 * signature and the timestamp (five minutes either way) before it accepts a body, and answers 401
 * otherwise. {@link #answer} makes it fail on purpose (e.g. 503).
 */
public final class WebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<String> accepted = new CopyOnWriteArrayList<>();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(204);

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start(String secret, Clock clock) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    WebhookReceiver r = new WebhookReceiver(server);
    server.createContext("/hook", exchange -> {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
      int code;
      if (!WebhookSignature.verify(secret, signature, body, clock.instant(), Duration.ofMinutes(5))) {
        r.rejected.add(body);
        code = 401;
      } else {
        code = r.status.get();
        if (code < 300) {
          r.accepted.add(body);
        }
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
    return r;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  /** The status the receiver answers to a correctly signed request from now on. */
  public void answer(int code) {
    status.set(code);
  }

  /** Bodies accepted (correctly signed, fresh), oldest first. */
  public List<String> accepted() {
    return List.copyOf(accepted);
  }

  /** Bodies refused for a bad or stale signature. */
  public List<String> rejected() {
    return List.copyOf(rejected);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
