package io.storefleet.coordinator;

import io.storefleet.coordinator.http.HttpTransport;
import io.storefleet.fabric.node.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A coordinator's settings.
 *
 * @param httpHost the address the API listens on (loopback by default)
 * @param httpPort the API port, 0 for any free one
 * @param tokenFile the admin token file, created at first start
 * @param cluster how to join the cluster
 * @param requestTimeout how long one server may take to answer
 * @param transport HTTPS (configured or self-signed certificate) or plain HTTP
 */
public record CoordinatorConfig(
    String httpHost, int httpPort, Path tokenFile, ClusterSettings cluster, Duration requestTimeout,
    HttpTransport transport) {

  /** Plain HTTP, for loopback. */
  public CoordinatorConfig(String httpHost, int httpPort, Path tokenFile, ClusterSettings cluster, Duration requestTimeout) {
    this(httpHost, httpPort, tokenFile, cluster, requestTimeout, HttpTransport.plain());
  }
}
