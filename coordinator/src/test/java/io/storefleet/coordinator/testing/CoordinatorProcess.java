package io.storefleet.coordinator.testing;

import io.storefleet.fabric.node.ClusterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A coordinator in its own JVM, for tests that pause, cut off or kill it. */
public final class CoordinatorProcess extends NodeProcess {
  private final Api api;

  private CoordinatorProcess(Process process, Api api) {
    super(process);
    this.api = api;
  }

  /**
   * Starts {@code CoordinatorMain} under a command prefix (empty, or e.g. {@code ip netns exec
   * NS}) with its HTTP API on {@code cluster}'s host and a free port, and waits for READY.
   */
  public static CoordinatorProcess start(List<String> prefix, ClusterSettings cluster, Path tokenFile, Path log)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--http-host", cluster.host(), "--http-port", "0",
        "--http-token-file", tokenFile.toString(), "--http-request-timeout-seconds", "10",
        // plain HTTP, also on a namespace host's own address: the HTTPS transport has its own tests
        "--http-tls", "off", "--http-allow-plain", "true"));
    args.addAll(WorkerProcess.clusterArgs(cluster));
    Process p = JavaMain.launch(prefix, "io.storefleet.coordinator.CoordinatorMain", args, log);
    String ready = JavaMain.awaitLine(p, "READY coordinator ", "coordinator", log);
    String base = ready.split(" ")[2];
    String token = Files.readString(tokenFile).trim();
    return new CoordinatorProcess(p, prefix.isEmpty() ? new Api(base, token)
        : new Api(base, token, new CurlTransport(prefix, base, token)));
  }

  /** The HTTP API: called from this JVM, or with curl under the same prefix as the coordinator. */
  public Api api() {
    return api;
  }
}
