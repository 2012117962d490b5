package io.storefleet.bench;

import io.storefleet.coordinator.CoordinatorConfig;
import io.storefleet.coordinator.CoordinatorNode;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.CommandSubmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Routed requests through the coordinator's HTTP API next to the same requests sent straight to
 * the owning worker on the event bus, in one run: three worker processes, a coordinator, 30
 * accounts. Not a test: run it with deploy/bench/routing.sh.
 */
public final class RoutingBenchmark {
  static final int REQUESTS = Integer.getInteger("bench.requests", 20000);
  static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);

  record Result(String name, int requests, double seconds, long errors, long[] latenciesNanos) {
    double throughput() {
      return requests / seconds;
    }

    double percentileMillis(double p) {
      long[] s = latenciesNanos.clone();
      Arrays.sort(s);
      return s[(int) Math.min(s.length - 1, Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("sf-bench-");
    ClusterSettings settings = ClusterSettings.loopback("sf-bench-" + UUID.randomUUID());
    List<WorkerProcess> workers = new ArrayList<>();
    ClusterNode node = null;
    try {
      for (int i = 1; i <= 3; i++) {
        workers.add(WorkerProcess.start("mbox" + i, root.resolve("mbox" + i), root, settings, 0,
            root.resolve("mbox" + i + ".log")));
      }
      node = ClusterNode.start(settings).await();
      ClusterNode n = node;
      CoordinatorNode coordinator = CoordinatorNode.start(node.vertx(), n::liveNodes, new CoordinatorConfig(
          "127.0.0.1", 0, root.resolve("token"), settings, Duration.ofSeconds(30))).await();
      String base = "http://127.0.0.1:" + coordinator.port();
      String token = Files.readString(root.resolve("token")).trim();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Http api = new Http(http, base, token);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!api.get("/api/v1/servers").body().contains("mbox3")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the coordinator did not see the three workers within 60 s");
        }
        Thread.sleep(100);
      }
      api.post("admin", null, "createDomain", "bench.example");
      List<String> accounts = new ArrayList<>();
      List<String> owners = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String a = "user" + i + "@bench.example";
        String owner = "mbox" + (i % 3 + 1);
        api.post("admin", owner, "createAccount", a);
        accounts.add(a);
        owners.add(owner);
      }
      WorkerClient direct = new WorkerClient(node.vertx(), Duration.ofSeconds(30));
      AtomicLong counter = new AtomicLong();
      Supplier<CompletableFuture<Boolean>> directCall = () -> {
        int i = (int) (counter.getAndIncrement() % accounts.size());
        CommandRequest req = new CommandRequest("admin", "listFolders", Map.of("account", accounts.get(i)), owners.get(i), null, "bench");
        return direct.send(owners.get(i), req).toCompletionStage().toCompletableFuture().handle((r, e) -> e == null);
      };
      Supplier<CompletableFuture<Boolean>> routed = () -> {
        int i = (int) (counter.getAndIncrement() % accounts.size());
        return api.postAsync("admin", null, "listFolders", accounts.get(i)).thenApply(r -> r.statusCode() == 200);
      };
      Supplier<CompletableFuture<Boolean>> proxied = () -> {
        int i = (int) (counter.getAndIncrement() % accounts.size());
        String wrong = "mbox" + ((i + 1) % 3 + 1);
        return api.postAsync("admin", wrong, "listFolders", accounts.get(i)).thenApply(r -> r.statusCode() == 200);
      };
      List<Result> results = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        // Round 0 warms the JIT and the connections; only round 1 is reported.
        int n2 = round == 0 ? REQUESTS / 4 : REQUESTS;
        Result a = run("direct to owner (event bus)", directCall, n2);
        Result b = run("coordinator, routed (HTTP)", routed, n2);
        Result c = run("coordinator, wrong host, proxied (HTTP)", proxied, n2);
        if (round == 1) {
          results.addAll(List.of(a, b, c));
        }
      }
      System.out.println();
      System.out.printf(Locale.ROOT, "requests per path: %d, concurrency: %d, command: admin listFolders <account> (30 accounts, 3 worker processes)%n",
          REQUESTS, CONCURRENCY);
      System.out.println("| path | requests/s | p50 ms | p99 ms | errors | vs direct |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      double base0 = results.get(0).throughput();
      for (Result r : results) {
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %d | %.2fx |%n", r.name(), r.throughput(),
            r.percentileMillis(50), r.percentileMillis(99), r.errors(), r.throughput() / base0);
      }
    } finally {
      if (node != null) {
        node.close().await();
      }
      for (WorkerProcess w : workers) {
        w.close();
      }
    }
    System.exit(0);
  }

  static Result run(String name, Supplier<CompletableFuture<Boolean>> call, int n) throws InterruptedException {
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    long[] lat = new long[n];
    AtomicLong errors = new AtomicLong();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      int idx = i;
      long t0 = System.nanoTime();
      call.get().whenComplete((ok, e) -> {
        lat[idx] = System.nanoTime() - t0;
        if (e != null || !Boolean.TRUE.equals(ok)) {
          errors.incrementAndGet();
        }
        inFlight.release();
        done.countDown();
      });
    }
    done.await();
    double secs = (System.nanoTime() - start) / 1e9;
    return new Result(name, n, secs, errors.get(), lat);
  }

  record Http(HttpClient http, String base, String token) {
    HttpResponse<String> get(String path) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String module, String target, String... args) throws Exception {
      return postAsync(module, target, args).get();
    }

    CompletableFuture<HttpResponse<String>> postAsync(String module, String target, String... args) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/commands"))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.encode(new CommandSubmission(module, List.of(args), target))))
          .build();
      return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }
  }
}
