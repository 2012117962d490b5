package io.storefleet.coordinator;

import io.storefleet.fabric.config.Settings;
import io.storefleet.fabric.node.ClusterNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a coordinator process: {@code CoordinatorMain --http-port 8080 --http-token-file FILE}.
 * It prints {@code READY coordinator http://host:port} once it serves.
 */
public final class CoordinatorMain {
  static final List<String> KEYS = new ArrayList<>(List.of(
      "http.host", "http.port", "http.tokenFile", "http.requestTimeoutSeconds"));

  static {
    KEYS.addAll(Settings.CLUSTER_KEYS);
  }

  private CoordinatorMain() {}

  public static void main(String[] args) throws Exception {
    CoordinatorConfig config;
    try {
      Settings s = Settings.parse(args, KEYS);
      config = new CoordinatorConfig(
          s.get("http.host", "127.0.0.1"),
          s.getInt("http.port", 8080),
          Path.of(s.get("http.tokenFile", System.getProperty("user.home") + "/.storefleet/admin-token")),
          s.cluster(),
          Duration.ofSeconds(s.getInt("http.requestTimeoutSeconds", 30)));
    } catch (IllegalArgumentException e) {
      System.err.println("storefleet coordinator: " + e.getMessage());
      System.exit(64);
      return;
    }
    ClusterNode node = ClusterNode.start(config.cluster()).await();
    CoordinatorNode coordinator = CoordinatorNode.start(node.vertx(), node::liveNodes, config).await();
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
    System.out.println("READY coordinator http://" + config.httpHost() + ":" + coordinator.port()
        + " token " + config.tokenFile().toAbsolutePath());
    System.out.flush();
    stopped.await();
  }
}
