package io.storefleet.coordinator.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.Promtool;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.fabric.metrics.MetricFamily;
import io.storefleet.fabric.metrics.MetricsEndpoint;
import io.storefleet.fabric.metrics.MetricsSettings;
import io.storefleet.fabric.metrics.ScrapeAccess;
import io.storefleet.fabric.metrics.ScrapeHandler;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node's /metrics, read over HTTP as Prometheus reads it: the token rule, the families after
 * a scan, a proxied scan, a restore and a refused command, promtool's lint, and no new series
 * after 1,000 more commands.
 */
@Tag("cluster")
class MetricsIT {
  private static final List<String> SERVERS = List.of("mbox1", "mbox2");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;
  static String viewer;
  static final Map<String, MetricsEndpoint> endpoints = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 1);
    api = cluster.api();
    api.admin(null, "createDomain", "example.com").result();
    api.admin("mbox1", "createAccount", "fay@example.com").result();
    api.admin("mbox2", "createAccount", "gus@example.com").result();
    api.admin(null, "injectMessages", "fay@example.com", Messages.folder(root.resolve("f"), "fay", 4).toString())
        .result();
    api.admin(null, "injectMessages", "gus@example.com", Messages.folder(root.resolve("g"), "gus", 2).toString())
        .result();
    Api.Answer created = api.post("/api/v1/tokens", new TokenRequest("prometheus", "viewer", List.of()));
    assertEquals(200, created.status(), created.body().toString());
    viewer = Json.fromTree(created.body(), TokenChange.class).token();
    for (String s : SERVERS) {
      // As WorkerLaunch does for a worker process with metrics.port set.
      Vertx vertx = cluster.worker(s).node().vertx();
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      endpoints.put(s, MetricsEndpoint.start(vertx, new MetricsSettings("127.0.0.1", port, ScrapeAccess.Mode.TOKEN),
          new ScrapeHandler(vertx, cluster.worker(s).node().metrics(),
              new ScrapeAccess(ScrapeAccess.Mode.TOKEN, new ClusterDirectory(vertx)))).await());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (MetricsEndpoint e : endpoints.values()) {
      e.close().await();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String url(String node) {
    return node.equals("coordinator") ? api.base() + "/metrics"
        : "http://127.0.0.1:" + endpoints.get(node).port() + "/metrics";
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(req.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape(String node) throws Exception {
    HttpResponse<String> r = get(url(node), viewer);
    assertEquals(200, r.statusCode(), node + ": " + r.body());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    return r.body();
  }

  /** Scrapes without a token, with an unknown one, and of another path: refused, every one. */
  private static void refusedScrapes() throws Exception {
    for (String node : nodes()) {
      HttpResponse<String> none = get(url(node), null);
      assertEquals(401, none.statusCode(), node + ": " + none.body());
      assertTrue(none.body().contains("UNAUTHORIZED") && none.body().contains("viewer"), none.body());
      assertEquals(401, get(url(node), "0".repeat(64)).statusCode(), node);
      if (!node.equals("coordinator")) {
        assertEquals(404, get(url(node).replace("/metrics", "/other"), viewer).statusCode(), node);
      }
    }
  }

  private static List<String> nodes() {
    List<String> n = new ArrayList<>(List.of("coordinator"));
    n.addAll(SERVERS);
    return n;
  }

  @Test
  void aScrapeNeedsAnActiveToken() throws Exception {
    refusedScrapes();
    for (String node : nodes()) {
      assertTrue(scrape(node).contains("process_uptime_seconds"), node);
    }
  }

  @Test
  void everyFamilyIsThereLintCleanAndSeriesDoNotGrowWithOperations() throws Exception {
    String victim = api.admin(null, "listItems", "fay@example.com").result().reply().result().get(0).get("id")
        .asText();
    run("all_servers", "doSmartScan");
    api.admin(null, "deleteItem", "fay@example.com", victim).result();
    await().atMost(Duration.ofSeconds(60)).until(() -> api.backup(null, "doItemSearch", "fay@example.com",
        "deleted", "true").result().reply().result().get("items").size() == 1);
    run(null, "doUndelete", "fay@example.com", "first", "last");
    round(0); // one of each kind the 1,000 below send, so that they can add no label value
    refusedScrapes();
    await().until(() -> queueDepth("mbox1") == 0 && queueDepth("mbox2") == 0);
    Map<String, String> before = expositions();

    boolean lint = Promtool.installed();
    for (Map.Entry<String, String> e : before.entrySet()) {
      // Kept for reading (and for promtool by hand) when something here fails.
      java.nio.file.Files.writeString(Path.of("target", "metrics-" + e.getKey() + ".prom"), e.getValue());
      if (lint) {
        Promtool.run(root, e.getValue(), "check", "metrics");
      }
      for (String meter : List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
          "process_cpu_usage", "process_uptime_seconds", "vertx_http_server_requests_total")) {
        assertTrue(e.getValue().contains("\n" + meter), e.getKey() + " has no " + meter);
      }
    }
    for (MetricFamily f : MetricFamily.values()) {
      boolean routing = f == MetricFamily.ROUTING_DURATION || f == MetricFamily.ROUTING_ERRORS;
      for (String node : routing ? List.of("coordinator") : SERVERS) {
        assertTrue(before.get(node).contains("\n" + f.exposedName()), node + " has no " + f.exposedName());
      }
    }
    assertTrue(before.get("mbox1").contains("\nvertx_eventbus_"), "Vert.x's event-bus meters");
    String m1 = before.get("mbox1");
    assertEquals(1, value(m1, "storefleet_operations_ended_total", "command=\"doSmartScan\"", "state=\"SUCCEEDED\""));
    assertEquals(1, value(m1, "storefleet_restored_items_total"));
    assertTrue(value(m1, "storefleet_restored_bytes_total") > 0);
    // The item and byte counters are the sums of the result blocks of the scans that ended.
    long compared = 0;
    long storedBytes = 0;
    for (Operation op : api.backup(null, "getAllOperations", "verbose", "true").result().table().operations()) {
      if (op.server().equals("mbox1") && List.of("doSmartScan", "doAccountScan").contains(op.command())) {
        OperationStats st = op.stats();
        compared += st.counter("itemsNew") + st.counter("itemsChanged") + st.counter("itemsDeleted")
            + st.counter("itemsUnchanged");
        storedBytes += st.counter("bytesStored");
      }
    }
    assertEquals(compared, value(m1, "storefleet_scanned_items_total"));
    assertEquals(storedBytes, value(m1, "storefleet_stored_bytes_total"));
    assertTrue(value(m1, "storefleet_smartscan_last_success_timestamp_seconds") > 1.7e9);
    assertEquals(0, value(m1, "storefleet_accounts_not_backed_up"));
    assertEquals(0, value(m1, "storefleet_accounts_uncertain"));
    assertTrue(value(m1, "storefleet_backup_path_size_bytes") > 0);
    assertTrue(value(m1, "storefleet_backup_path_free_bytes") > 0);
    assertTrue(value(m1, "storefleet_blob_dedup_ratio") > 0);
    assertTrue(value(m1, "storefleet_realtime_scanner_lag_entries") >= 0);
    assertEquals(1, value(m1, "storefleet_realtime_scanner_running"));
    String c = before.get("coordinator");
    assertEquals(1, value(c, "storefleet_routing_errors_total", "kind=\"routed\"", "code=\"UNKNOWN_ACCOUNT\""));
    for (String kind : List.of("routed", "proxied", "broadcast")) {
      assertTrue(value(c, "storefleet_routing_duration_seconds_count", "kind=\"" + kind + "\"") > 0, kind);
    }

    double ended = value(m1, "storefleet_operations_ended_total") + value(before.get("mbox2"),
        "storefleet_operations_ended_total");
    long started = System.nanoTime();
    for (int i = 1; i <= 100; i++) {
      round(i);
    }
    System.out.printf("MetricsIT: 1,000 commands (200 queued) in %.1f s%n", (System.nanoTime() - started) / 1e9);
    await().until(() -> queueDepth("mbox1") == 0 && queueDepth("mbox2") == 0);
    Map<String, String> after = expositions();
    assertEquals(ended + 200, value(after.get("mbox1"), "storefleet_operations_ended_total")
        + value(after.get("mbox2"), "storefleet_operations_ended_total"), "the 200 operations ended");
    for (String node : nodes()) {
      TreeSet<String> grown = series(after.get(node));
      grown.removeAll(series(before.get(node)));
      assertEquals(series(before.get(node)).size(), series(after.get(node)).size(),
          node + " has new series after 1,000 commands: " + grown);
    }
  }

  /**
   * Ten commands through the coordinator, sixteen at most in flight: two tiny operations (a scan
   * of fay on her server, one of gus proxied from mbox1), an account query routed and one proxied,
   * the merged queue, a server query, a refused command, and more of those.
   */
  private static void round(int i) {
    List<String[]> calls = List.of(
        new String[] {null, "doAccountScan", "fay@example.com"},
        new String[] {"mbox1", "doAccountScan", "gus@example.com"},
        new String[] {null, "getAccountInfo", "fay@example.com"},
        new String[] {"mbox1", "getAccountInfo", "gus@example.com"},
        new String[] {null, "getAllOperations"},
        new String[] {"mbox2", "getBackupInfo"},
        new String[] {null, "doAccountScan", "nobody@example.com"},
        new String[] {null, "getAccountInfo", "gus@example.com"},
        new String[] {"mbox2", "getAccountInfo", "fay@example.com"},
        new String[] {null, "getAllOperations"});
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<Api.Answer>> answers = new ArrayList<>();
    for (String[] c : calls) {
      inFlight.acquireUninterruptibly();
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      answers.add(api.submit("backup", c[0], args).whenComplete((a, e) -> inFlight.release()));
    }
    for (int k = 0; k < calls.size(); k++) {
      Api.Answer a = answers.get(k).join();
      int expected = java.util.Arrays.asList(calls.get(k)).contains("nobody@example.com") ? 404 : 200;
      assertEquals(expected, a.status(), "round " + i + " " + String.join(" ", calls.get(k)) + ": " + a.body());
    }
  }

  private static void run(String target, String... args) {
    JsonNode body = api.backup(target, args).body();
    List<String> uuids = new ArrayList<>();
    body.findValues("uuid").forEach(u -> uuids.add(u.asText()));
    assertTrue(!uuids.isEmpty(), String.join(" ", args) + ": " + body);
    for (String uuid : uuids) {
      await().atMost(Duration.ofSeconds(60)).until(() -> api.operation(uuid).state().terminal());
      assertEquals(OperationState.SUCCEEDED, api.operation(uuid).state(), uuid);
    }
  }

  private static double queueDepth(String server) throws Exception {
    return value(scrape(server), "storefleet_queue_depth");
  }

  /** Every node's exposition, after a survey; each is scraped twice so the first scrape's own request is counted. */
  private static Map<String, String> expositions() throws Exception {
    for (String s : SERVERS) {
      cluster.worker(s).worker().metrics().refresh();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String node : nodes()) {
      scrape(node);
      out.put(node, scrape(node));
    }
    return out;
  }

  /** The sum of the samples of {@code name} whose labels include every one of {@code labels}. */
  private static double value(String exposition, String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertTrue(found, "no sample of " + name + " with " + List.of(labels));
    return sum;
  }

  /**
   * The series of an exposition, JVM ones aside: a garbage collection of a new cause adds a
   * bounded series whenever it first happens.
   */
  private static TreeSet<String> series(String exposition) {
    TreeSet<String> out = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("jvm_")) {
        out.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    return out;
  }
}
