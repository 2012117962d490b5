package io.storefleet.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.BadInput;
import io.storefleet.coordinator.testing.FuzzCases;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.OperationTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/commands} under generated bodies against a real coordinator and worker
 * (issue 16): malformed JSON, wrong types, huge values, control characters, paths that climb out
 * of the allowed root or lead out of it through symbolic links. No answer is a 5xx (a definite
 * NOT_IMPLEMENTED aside), every refusal is a named error code, no operation that the bodies
 * queued fails with INTERNAL, both processes still serve, and nothing is written outside the
 * allowed root. CI runs 500 bodies; {@code deploy/bench/fuzz.sh} runs 10,000.
 */
@Tag("cluster")
class CommandsFuzzIT {
  /** Bodies once answered with HTTP 500 or a bare status page, kept as regressions. */
  private static final List<String> FOUND = List.of(
      "null",
      "{\"args\":[\"doSmartScan\",null]}",
      "{\"args\":[null]}",
      "{\"args\":[\"getMap\",\"map_nowhere\"],\"target\":\"mbox1\"}",
      "{\"args\":[\"doFixShares\",\"map_nowhere\"],\"target\":\"mbox1\"}",
      "{\"args\":[\"doFixShares\",\"map\\u0000x\"],\"target\":\"mbox1\"}",
      "{\"args\":[\"getServices\"],\"pad\":\"" + "x".repeat(1_100_000) + "\"}");

  @TempDir Path root;
  @TempDir Path outside;

  @Test
  void noBodyCrashesLeaksOrWritesOutsideTheAllowedRoots() throws Exception {
    Path linkOut = Files.createSymbolicLink(root.resolve("link-out"), outside);
    Path dangling = Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
    BadInput.PathTargets paths = new BadInput.PathTargets(root, outside, linkOut, dangling);
    Map<String, AtomicInteger> answers = new TreeMap<>();
    Map<String, String> queued = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    int cases = FuzzCases.count(500);
    try (TestCluster cluster = TestCluster.start(root, 1, 1)) {
      Api api = cluster.api();
      // On a loaded machine the coordinator may not list the worker yet: a broadcast would reach no one.
      org.awaitility.Awaitility.await().until(() -> api.backup("mbox1", "getServices").status() == 200);
      api.admin("mbox1", "createDomain", "fuzz.test").result();
      api.admin("mbox1", "createAccount", "user1@fuzz.test").result();
      api.admin("mbox1", "createAccount", "user2@fuzz.test").result();
      api.admin(null, "injectMessages", "user1@fuzz.test", Messages.folder(root.resolve("mail"), "fuzz", 5).toString())
          .result();
      for (String body : FOUND) {
        assertEquals(null, judge(api.postRaw("/api/v1/commands", body)), FuzzCases.show(List.of(body)));
      }
      FuzzCases.run("POST /api/v1/commands", cases, r -> List.of(new BadInput(r, paths).body()), body -> {
        if (body.isEmpty()) {
          return null; // the shrinker dropped the body itself
        }
        Api.Answer a = api.postRaw("/api/v1/commands", body.get(0));
        String wrong = judge(a);
        if (wrong == null) {
          String key = a.status() == 200 ? "200" : a.status() + " " + a.body().path("error").path("code").asText();
          answers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
          JsonNode op = a.body().path("reply").path("operation");
          if (op.hasNonNull("uuid")) {
            queued.put(op.get("uuid").asText(), op.path("command").asText());
          }
        }
        return wrong;
      });
      long fuzzMillis = (System.nanoTime() - started) / 1_000_000;

      assertEquals(200, api.backup("mbox1", "getServices").status(), "the worker still serves");
      assertEquals(200, api.get("/api/v1/servers").status(), "the coordinator still serves");
      api.backup("mbox1", "doStopAllOperations").result();
      OperationTable table = Json.fromTree(api.get("/api/v1/operations?verbose=true").body(), OperationTable.class);
      for (Operation op : table.operations()) {
        if (queued.containsKey(op.uuid()) && op.state() == OperationState.FAILED) {
          assertFalse(op.error() != null && op.error().code().equals(ErrorCode.INTERNAL.name()),
              "operation " + op.command() + " " + op.params() + " failed unexpectedly: " + op.error());
        }
      }
      report(cases, fuzzMillis, answers, queued.size());
    }
    try (Stream<Path> left = Files.walk(outside)) {
      assertEquals(List.of(outside), left.toList(), "something was written outside the allowed root");
    }
    for (String relative : new String[] {"relative", "~root"}) {
      assertFalse(Files.exists(Path.of(relative)), "a relative path was used from the working directory: " + relative);
    }
  }

  /** Null when the answer is acceptable, otherwise what is wrong with it. */
  private static String judge(Api.Answer a) {
    if (a.status() == 200) {
      return null;
    }
    String code = a.body().path("error").path("code").asText("");
    if (Arrays.stream(ErrorCode.values()).noneMatch(c -> c.name().equals(code))) {
      return "HTTP " + a.status() + " without a named error: " + a.body();
    }
    if (a.body().path("error").path("message").asText("").isBlank()) {
      return code + " without a message";
    }
    if (a.status() >= 500 && !code.equals(ErrorCode.NOT_IMPLEMENTED.name())) {
      return "HTTP " + a.status() + " " + a.body();
    }
    return null;
  }

  /** The figures of the run, for docs/reliability.md, when {@code storefleet.fuzz.report} names a file. */
  private static void report(int cases, long millis, Map<String, AtomicInteger> answers, int queued) throws Exception {
    String file = System.getProperty("storefleet.fuzz.report");
    if (file == null) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("http cases=").append(cases).append(" millis=").append(millis).append(" queued=").append(queued)
        .append('\n');
    answers.forEach((k, v) -> sb.append("http answer ").append(k).append(" = ").append(v.get()).append('\n'));
    Files.writeString(Path.of(file), sb, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
