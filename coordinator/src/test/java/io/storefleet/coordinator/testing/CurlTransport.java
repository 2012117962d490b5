package io.storefleet.coordinator.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls a coordinator with curl run under a command prefix ({@code ip netns exec NS}): for a
 * coordinator in a network namespace that this JVM cannot reach, so the test's own requests
 * stay inside the namespaces too.
 */
final class CurlTransport implements Api.Transport {
  private final List<String> prefix;
  private final String base;
  private final String token;

  CurlTransport(List<String> prefix, String base, String token) {
    this.prefix = List.copyOf(prefix);
    this.base = base;
    this.token = token;
  }

  @Override
  public CompletableFuture<Api.Answer> send(String method, String path, String body, boolean withToken) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call(method, path, body, withToken);
      } catch (Exception e) {
        throw new IllegalStateException(method + " " + path + " through " + prefix + ": " + e, e);
      }
    });
  }

  private Api.Answer call(String method, String path, String body, boolean withToken) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("curl", "-sS", "-m", "60", "-X", method, "-w", "\n%{http_code}"));
    if (withToken) {
      cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    if (body != null) {
      cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
    }
    cmd.add(base + path);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var in = p.getOutputStream()) {
      if (body != null) {
        in.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(70, TimeUnit.SECONDS) || p.exitValue() != 0) {
      // No HTTP answer at all (connection refused, timeout): as the HTTP client would, fail.
      throw new IllegalStateException("curl exit " + (p.isAlive() ? "timeout" : p.exitValue()));
    }
    int nl = out.lastIndexOf('\n');
    return Api.answer(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
  }
}
