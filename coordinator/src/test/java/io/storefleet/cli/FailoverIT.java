package io.storefleet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.CoordinatorProcess;
import io.storefleet.coordinator.testing.OperationLogs;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandSubmission;
import io.storefleet.protocol.wire.RequestId;
import io.storefleet.protocol.wire.ServerResult;
import io.storefleet.worker.log.AppendLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinators, each its own process, in front of two workers: a request id repeated through
 * the other coordinator gets the first answer, marked as a repeat, and runs once; and with one
 * coordinator SIGKILLed at a random point while routed submits and polls go through both (the
 * CLI's client, moving to the other coordinator on a connection failure), every request id the
 * client saw accepted ran exactly once and none was lost. CI runs one small round;
 * {@code deploy/bench/failover.sh} runs the criterion (500 requests, 3 runs) through
 * {@code storefleet.failover.requests} and {@code storefleet.failover.runs}.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
  private static final int REQUESTS = Integer.getInteger("storefleet.failover.requests", 40);
  private static final int RUNS = Integer.getInteger("storefleet.failover.runs", 1);
  private static final int THREADS = 4;
  private static final String REPORT = System.getProperty("storefleet.failover.report");
  private static final List<String> ACCOUNTS = List.of("ann@failover.test", "ben@failover.test",
      "cat@failover.test", "dan@failover.test");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path root;
  static TestCluster cluster;
  static CoordinatorProcess[] coordinators = new CoordinatorProcess[2];
  static int started;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 0);
    coordinators[0] = startCoordinator();
    coordinators[1] = startCoordinator();
    Api api = coordinators[0].api();
    api.admin(null, "createDomain", "failover.test").result();
    for (int i = 0; i < ACCOUNTS.size(); i++) {
      api.admin(i % 2 == 0 ? "mbox1" : "mbox2", "createAccount", ACCOUNTS.get(i)).result();
    }
  }

  static CoordinatorProcess startCoordinator() throws Exception {
    int n = ++started;
    return CoordinatorProcess.start(List.of(), cluster.settings(), root.resolve("admin-token"),
        root.resolve("coordinator-" + n + ".log"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (CoordinatorProcess c : coordinators) {
      if (c != null) {
        c.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static Api.Answer submit(Api api, String id, String module, String target, String... args) {
    return api.post("/api/v1/commands", new CommandSubmission(module, List.of(args), target, id));
  }

  @Test
  @Order(1)
  void aRequestIdRepeatedThroughTheOtherCoordinatorGetsTheFirstAnswer() throws Exception {
    Api a = coordinators[0].api();
    Api b = coordinators[1].api();

    // Queued, and proxied: named mbox2, owned by mbox1; the repeat goes straight to the owner.
    String scan = RequestId.next();
    CommandReply first = submit(a, scan, "backup", "mbox2", "doAccountScan", ACCOUNTS.get(0)).result().reply();
    ApiResult again = submit(b, scan, "backup", null, "doAccountScan", ACCOUNTS.get(0)).result();
    assertTrue(first.proxied());
    assertNull(first.repeat());
    assertTrue(again.reply().repeated(), again.text());
    assertTrue(again.text().contains("a repeat of this request"), again.text());
    assertEquals(first.operation().uuid(), again.reply().operation().uuid());
    assertEquals(List.of(first.operation().uuid()), operationsOf(scan), "one operation for the id");

    // Immediate: the second createAccount is not run (it would say ALREADY_EXISTS).
    String create = RequestId.next();
    CommandReply created = submit(a, create, "admin", "mbox2", "createAccount", "eve@failover.test").result().reply();
    CommandReply repeated = submit(b, create, "admin", "mbox2", "createAccount", "eve@failover.test").result().reply();
    assertTrue(repeated.repeated());
    assertEquals(created.text(), repeated.text());

    // A broadcast: one id, each server keeps it for its part.
    String cos = RequestId.next();
    List<ServerResult> firstParts = submit(a, cos, "admin", null, "createCos", "gold").result().broadcast().results();
    List<ServerResult> repeatParts = submit(b, cos, "admin", null, "createCos", "gold").result().broadcast().results();
    assertEquals(2, firstParts.size());
    for (ServerResult part : repeatParts) {
      assertTrue(part.ok() && part.reply().repeated(), part.server() + ": " + part);
    }

    // No id (an older client): as before, the second one is run and refused.
    submit(a, null, "admin", null, "createCos", "silver").result();
    for (ServerResult part : submit(b, null, "admin", null, "createCos", "silver").result().broadcast().results()) {
      assertEquals("ALREADY_EXISTS", part.error().code(), part.server());
    }

    // The same id for another command is refused, and a malformed id named.
    ErrorInfo reused = submit(b, create, "admin", "mbox2", "createAccount", "fay@failover.test").error();
    assertEquals("CONFLICT", reused.code());
    ErrorInfo malformed = submit(b, "not an id!", "admin", "mbox2", "listAccounts").error();
    assertEquals("MALFORMED_REQUEST", malformed.code());
    assertTrue(malformed.message().contains("requestId"), malformed.message());
    await().until(() -> operation(b, first.operation()).state().terminal());
  }

  @Test
  @Order(2)
  void aRepeatThroughTheOtherCoordinatorGoesWhereItsIdWentFirst() {
    Api a = coordinators[0].api();
    Api b = coordinators[1].api();

    // Placed by account count: with the servers even it goes to mbox1, after which routing it
    // again would choose mbox2 and create the account a second time there.
    evenAccountCounts(a);
    String create = RequestId.next();
    CommandReply created = submit(a, create, "admin", null, "createAccount", "gil@failover.test").result().reply();
    assertEquals("mbox1", created.server());
    ApiResult createdAgain = submit(b, create, "admin", null, "createAccount", "gil@failover.test").result();
    assertTrue(createdAgain.reply().repeated(), createdAgain.text());
    assertEquals("mbox1", createdAgain.reply().server());
    assertEquals(Map.of("mbox1", 1L, "mbox2", 0L), holders(b, "gil@failover.test"));

    // The first deleteAccount deleted the account: routed again, the repeat would be UNKNOWN_ACCOUNT.
    String delete = RequestId.next();
    CommandReply deleted = submit(a, delete, "admin", null, "deleteAccount", "gil@failover.test").result().reply();
    ApiResult deletedAgain = submit(b, delete, "admin", null, "deleteAccount", "gil@failover.test").result();
    assertTrue(deletedAgain.reply().repeated(), deletedAgain.text());
    assertEquals(deleted.text(), deletedAgain.reply().text());

    // Named the wrong server: mbox1 proxies it to the owner, which keeps the id; the repeat,
    // named the same, reaches the owner although mbox1 can no longer find the account.
    submit(a, null, "admin", "mbox2", "createAccount", "hal@failover.test").result();
    String proxied = RequestId.next();
    CommandReply viaMbox1 = submit(a, proxied, "admin", "mbox1", "deleteAccount", "hal@failover.test").result()
        .reply();
    assertTrue(viaMbox1.proxied());
    assertEquals("mbox2", viaMbox1.server());
    ApiResult proxiedAgain = submit(b, proxied, "admin", "mbox1", "deleteAccount", "hal@failover.test").result();
    assertTrue(proxiedAgain.reply().repeated(), proxiedAgain.text());
    assertEquals("mbox2", proxiedAgain.reply().server());
  }

  @Test
  @Order(3)
  void plansStopsAndTokenChangesTakeARequestIdThroughEitherCoordinator() throws Exception {
    Api a = coordinators[0].api();
    Api b = coordinators[1].api();

    // A planned export: the repeat has the same plan id and operations, and queues nothing.
    Path dest = Files.createDirectories(root.resolve("exports/plan"));
    String export = RequestId.next();
    ExportPlan plan = new ExportPlan(dest.toString(), Map.of("domains", "failover.test"), export);
    ImportStatus first = Json.fromTree(a.post("/api/v1/exports", plan).body(), ImportStatus.class);
    ImportStatus again = Json.fromTree(b.post("/api/v1/exports", plan).body(), ImportStatus.class);
    assertEquals(first.plan(), again.plan());
    assertEquals(2, first.operations().size());
    assertEquals(first.operations().stream().map(Operation::uuid).toList(),
        again.operations().stream().map(Operation::uuid).toList());
    for (Operation op : first.operations()) {
      assertEquals(List.of(op.uuid()), operationsOf(op.requestId()), "one operation for part " + op.params());
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> Json.fromTree(b.get("/api/v1/exports/" + first.plan()).body(),
        ImportStatus.class).ended());

    // Stopping an operation: the server keeps the id, so the repeat is its first answer.
    Operation done = first.operations().get(0);
    String stop = RequestId.next();
    ErrorInfo stopped = a.delete("/api/v1/operations/" + done.uuid() + "?requestId=" + stop).error();
    ErrorInfo stoppedAgain = b.delete("/api/v1/operations/" + done.uuid() + "?requestId=" + stop).error();
    assertEquals("OPERATION_FINISHED", stopped.code());
    assertEquals("OPERATION_FINISHED", stoppedAgain.code());
    assertTrue(stoppedAgain.message().contains("not run twice"), stoppedAgain.message());

    // Token changes, made by the coordinators themselves: the repeat gets the first answer, the
    // new token included; without an id a second revocation finds nothing to revoke.
    String create = RequestId.next();
    TokenRequest kim = new TokenRequest("kim", "viewer", List.of(), create);
    TokenChange created = Json.fromTree(a.post("/api/v1/tokens", kim).body(), TokenChange.class);
    TokenChange createdAgain = Json.fromTree(b.post("/api/v1/tokens", kim).body(), TokenChange.class);
    assertEquals(created.token(), createdAgain.token());
    assertEquals(created.record(), createdAgain.record());
    assertEquals(1, java.util.Arrays.stream(Json.fromTree(b.get("/api/v1/tokens").body(), TokenRecord[].class))
        .filter(t -> t.name().equals("kim")).count(), "one token named kim");
    ErrorInfo reused = b.post("/api/v1/tokens", new TokenRequest("lee", "viewer", List.of(), create)).error();
    assertEquals("CONFLICT", reused.code());
    String revoke = RequestId.next();
    TokenChange revoked = Json.fromTree(a.delete("/api/v1/tokens/kim?requestId=" + revoke).body(), TokenChange.class);
    TokenChange revokedAgain = Json.fromTree(b.delete("/api/v1/tokens/kim?requestId=" + revoke).body(),
        TokenChange.class);
    assertEquals(revoked.record(), revokedAgain.record());
    assertEquals("NOT_FOUND", b.delete("/api/v1/tokens/kim").error().code());
  }

  /** Creates accounts on the server with fewer until both hold as many. */
  private static void evenAccountCounts(Api api) {
    Map<String, Long> counts = holders(api, null);
    for (int i = 0; !counts.get("mbox1").equals(counts.get("mbox2")); i++) {
      String fewer = counts.get("mbox1") < counts.get("mbox2") ? "mbox1" : "mbox2";
      api.admin(fewer, "createAccount", "pad" + i + "@failover.test").result();
      counts = holders(api, null);
    }
  }

  /** Per server, how many accounts it holds (named {@code account}, or any when null). */
  private static Map<String, Long> holders(Api api, String account) {
    Map<String, Long> out = new HashMap<>();
    for (ServerResult part : api.admin(null, "listAccounts").result().broadcast().results()) {
      long n = 0;
      for (var acc : part.reply().result()) {
        n += account == null || account.equals(acc.path("name").asText()) ? 1 : 0;
      }
      out.put(part.server(), n);
    }
    return out;
  }

  /**
   * One request as the client saw it: {@code failedOver} when its submit moved to the other
   * coordinator, {@code moved} when the submit or its poll did.
   */
  record Seen(String id, String uuid, String server, boolean repeat, boolean failedOver, boolean moved,
      String error) {}

  @Test
  @Order(4)
  void oneCoordinatorKilledUnderLoadLosesAndDoublesNothing() throws Exception {
    long seed = Long.getLong("storefleet.failover.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int run = 1; run <= RUNS; run++) {
      // Well inside the run: at least two requests per client are sent after the kill.
      int killAfter = REQUESTS / 5 + random.nextInt(Math.max(1, REQUESTS * 4 / 5 - 2 * THREADS - REQUESTS / 5 + 1));
      int victim = random.nextInt(2);
      List<Seen> seen = oneRun(killAfter, victim);
      Map<String, Long> starts = new HashMap<>();
      Map<String, Set<String>> operationsById = new HashMap<>();
      Map<String, Operation> latest = new HashMap<>();
      Set<String> ids = new HashSet<>();
      seen.forEach(s -> ids.add(s.id()));
      for (String server : List.of("mbox1", "mbox2")) {
        Path log = cluster.worker(server).config.operationLog();
        starts.putAll(OperationLogs.startsByOperation(log));
        for (String r : AppendLog.inspect(log).records()) {
          Operation op = Json.decode(r, Operation.class);
          latest.put(op.uuid(), op);
          if (ids.contains(op.requestId())) {
            operationsById.computeIfAbsent(op.requestId(), k -> new HashSet<>()).add(op.uuid());
          }
        }
      }
      List<String> problems = new ArrayList<>();
      int repeats = 0;
      int failovers = 0;
      int moves = 0;
      for (Seen s : seen) {
        repeats += s.repeat() ? 1 : 0;
        failovers += s.failedOver() ? 1 : 0;
        moves += s.moved() ? 1 : 0;
        if (s.error() != null) {
          problems.add(s.id() + " not accepted: " + s.error());
          continue;
        }
        if (s.repeat() && !s.failedOver()) {
          problems.add(s.id() + " answered as a repeat though the client sent it once");
        }
        Set<String> ops = operationsById.getOrDefault(s.id(), Set.of());
        if (!ops.equals(Set.of(s.uuid()))) {
          problems.add(s.id() + " accepted as " + s.uuid() + " but the operation logs hold " + ops);
        } else if (starts.getOrDefault(s.uuid(), 0L) != 1L || latest.get(s.uuid()).state() != OperationState.SUCCEEDED) {
          problems.add(s.id() + " (" + s.uuid() + ") started " + starts.get(s.uuid()) + " time(s), ended "
              + latest.get(s.uuid()).state());
        }
      }
      String line = String.format("failover run %d requests %d accepted %d failovers %d moves %d repeats %d"
          + " problems %d killed coordinator %d after %d seed %d", run, seen.size(), seen.size() - seen.stream()
              .filter(s -> s.error() != null).count(), failovers, moves, repeats, problems.size(), victim + 1,
          killAfter, seed);
      System.out.println(line);
      if (REPORT != null) {
        Files.writeString(Path.of(REPORT), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      assertEquals(REQUESTS, seen.size());
      assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())), line);
      // Each client that asked the killed coordinator first sent requests after the kill, so each
      // moved to the survivor once (and only once: from then on it asks the survivor first).
      assertEquals(THREADS / 2, moves, "the failovers the answers show; " + line);
      if (run < RUNS) {
        coordinators[victim] = startCoordinator();
      }
    }
  }

  /**
   * {@link #REQUESTS} routed submits, each followed by a poll, from {@link #THREADS} clients, half
   * asking coordinator 1 first and half coordinator 2, client {@code t} making requests {@code t,
   * t + THREADS, ...}; coordinator {@code victim} is SIGKILLed once {@code killAfter} requests were
   * answered. The requests from {@code killAfter + THREADS} on wait for the kill, so it lands
   * while those before may be under way and every client has requests left after it. Returns once
   * every accepted operation has ended.
   */
  private List<Seen> oneRun(int killAfter, int victim) throws Exception {
    String token = Files.readString(root.resolve("admin-token")).trim();
    List<String> urls = List.of(coordinators[0].api().base(), coordinators[1].api().base());
    List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger answered = new AtomicInteger();
    CountDownLatch killed = new CountDownLatch(1);
    KnownCoordinators known = new KnownCoordinators(root.resolve("known_coordinators"));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      Future<?> killer = pool.submit(() -> {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(5))
            .until(() -> answered.get() >= killAfter);
        coordinators[victim].kill();
        killed.countDown();
        return null;
      });
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        List<String> order = t % 2 == 0 ? urls : List.of(urls.get(1), urls.get(0));
        int first = t;
        clients.add(pool.submit(() -> {
          ByteArrayOutputStream notices = new ByteArrayOutputStream();
          ApiClient client = new ApiClient(order, token, known, new PrintStream(notices, true, StandardCharsets.UTF_8));
          for (int i = first; i < REQUESTS; i += THREADS) {
            if (i >= killAfter + THREADS && !killed.await(10, TimeUnit.MINUTES)) {
              throw new AssertionError("coordinator " + (victim + 1) + " was not killed");
            }
            seen.add(request(client, notices, ACCOUNTS.get(i % ACCOUNTS.size())));
            answered.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> c : clients) {
        c.get(10, TimeUnit.MINUTES);
      }
      killer.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    Api survivor = coordinators[1 - victim].api();
    for (Seen s : seen) {
      if (s.uuid() != null) {
        await().atMost(Duration.ofMinutes(5)).until(() -> Json.fromTree(survivor.get("/api/v1/operations/"
            + s.uuid() + "?server=" + s.server()).body(), Operation.class).state().terminal());
      }
    }
    return seen;
  }

  /** One routed submit and one poll of its operation, as the CLI makes them, with one request id. */
  private static Seen request(ApiClient client, ByteArrayOutputStream notices, String account) {
    String id = RequestId.next();
    int before = notices.size();
    ApiResult r;
    try {
      r = Json.fromTree(client.post("/api/v1/commands",
          new CommandSubmission("backup", List.of("doAccountScan", account), null, id)), ApiResult.class);
    } catch (StorefleetException e) {
      boolean moved = notices.size() > before;
      return new Seen(id, null, null, false, moved, moved, e.code() + ": " + e.getMessage());
    }
    boolean failedOver = notices.size() > before;
    Operation op = r.reply().operation();
    try {
      Json.fromTree(client.get("/api/v1/operations/" + op.uuid() + "?server=" + op.server()), Operation.class);
    } catch (StorefleetException e) {
      return new Seen(id, op.uuid(), op.server(), r.reply().repeated(), failedOver, notices.size() > before,
          "poll failed: " + e.code() + ": " + e.getMessage());
    }
    return new Seen(id, op.uuid(), op.server(), r.reply().repeated(), failedOver, notices.size() > before, null);
  }

  private static List<String> operationsOf(String requestId) throws Exception {
    List<String> out = new ArrayList<>();
    for (String server : List.of("mbox1", "mbox2")) {
      Map<String, Operation> latest = new LinkedHashMap<>();
      for (String r : AppendLog.inspect(cluster.worker(server).config.operationLog()).records()) {
        Operation op = Json.decode(r, Operation.class);
        latest.put(op.uuid(), op);
      }
      latest.values().stream().filter(op -> requestId.equals(op.requestId())).forEach(op -> out.add(op.uuid()));
    }
    return out;
  }

  private static Operation operation(Api api, Operation op) {
    return Json.fromTree(api.get("/api/v1/operations/" + op.uuid() + "?server=" + op.server()).body(),
        Operation.class);
  }
}
