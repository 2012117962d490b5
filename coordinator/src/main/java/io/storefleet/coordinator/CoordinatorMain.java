package io.storefleet.coordinator;

import io.storefleet.coordinator.http.HttpTransport;
import io.storefleet.fabric.config.Settings;
import io.storefleet.fabric.metrics.MetricsSettings;
import io.storefleet.fabric.metrics.ScrapeAccess;
import io.storefleet.fabric.tls.PemFiles;
import io.storefleet.fabric.node.ClusterNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a coordinator process: {@code CoordinatorMain --http-port 8080 --http-token-file FILE}.
 * It prints {@code READY coordinator https://host:port token <file> sha256 <fingerprint>} once it
 * serves ({@code http://} and no fingerprint when plain HTTP is allowed and chosen).
 */
public final class CoordinatorMain {
  static final List<String> KEYS = new ArrayList<>(List.of(
      "http.host", "http.port", "http.tokenFile", "http.requestTimeoutSeconds",
      "http.tls", "http.tlsCert", "http.tlsKey", "http.tlsDir", "http.allowPlain"));

  static {
    KEYS.addAll(Settings.CLUSTER_KEYS);
    KEYS.addAll(MetricsSettings.COORDINATOR_KEYS);
  }

  private CoordinatorMain() {}

  /**
   * {@code http.tls}: {@code self-signed} (the default: made at first start in {@code http.tlsDir},
   * by default beside the token file), {@code pem} (with {@code http.tlsCert} and
   * {@code http.tlsKey}) or {@code off}.
   */
  static HttpTransport transport(Settings s, Path tokenFile) {
    boolean allowPlain = s.getBoolean("http.allowPlain");
    String mode = s.get("http.tls", s.get("http.tlsCert", null) != null ? "pem" : "self-signed");
    return switch (mode) {
      case "self-signed" -> {
        Path dir = Path.of(s.get("http.tlsDir", tokenFile.toAbsolutePath().getParent().resolve("coordinator-tls").toString()));
        yield new HttpTransport(HttpTransport.Mode.SELF_SIGNED, HttpTransport.selfSigned(dir).files(), allowPlain);
      }
      case "pem" -> new HttpTransport(HttpTransport.Mode.CONFIGURED,
          new PemFiles(Path.of(s.required("http.tlsCert")), Path.of(s.required("http.tlsKey")), null), allowPlain);
      case "off" -> new HttpTransport(HttpTransport.Mode.PLAIN, null, allowPlain);
      default -> throw new IllegalArgumentException("http.tls must be self-signed, pem or off, got '" + mode + "'");
    };
  }

  public static void main(String[] args) throws Exception {
    CoordinatorConfig config;
    ScrapeAccess.Mode metricsAccess;
    try {
      Settings s = Settings.parse(args, KEYS);
      metricsAccess = MetricsSettings.from(s).access();
      Path tokenFile = Path.of(s.get("http.tokenFile", System.getProperty("user.home") + "/.storefleet/admin-token"));
      config = new CoordinatorConfig(
          s.get("http.host", "127.0.0.1"),
          s.getInt("http.port", 8080),
          tokenFile,
          s.cluster(),
          Duration.ofSeconds(s.getInt("http.requestTimeoutSeconds", 30)),
          transport(s, tokenFile));
    } catch (IllegalArgumentException e) {
      System.err.println("storefleet coordinator: " + e.getMessage());
      System.exit(64);
      return;
    }
    ClusterNode node;
    CoordinatorNode coordinator;
    try {
      node = ClusterNode.start(config.cluster()).await();
    } catch (IllegalArgumentException e) {
      System.err.println("storefleet coordinator: " + e.getMessage());
      System.exit(64);
      return;
    }
    try {
      coordinator = CoordinatorNode.start(node.vertx(), node::liveNodes, config, node.metrics(), metricsAccess).await();
    } catch (RuntimeException e) {
      // A refused transport (plain HTTP off loopback) or certificate files that do not check out.
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("storefleet coordinator: " + cause.getMessage());
      node.close().await();
      System.exit(64);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        coordinator.stop().await();
        node.close().await();
      } catch (Exception e) {
        System.err.println("unclean coordinator stop: " + e);
      }
      stopped.countDown();
    }, "storefleet-coordinator-stop"));
    System.out.println("READY coordinator " + (config.transport().tls() ? "https" : "http") + "://" + config.httpHost()
        + ":" + coordinator.port() + " token " + config.tokenFile().toAbsolutePath()
        + coordinator.certificate().map(c -> " sha256 " + c.sha256()).orElse(""));
    System.out.flush();
    stopped.await();
  }
}
