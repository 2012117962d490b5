package io.storefleet.coordinator;

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
 */
public record CoordinatorConfig(
    String httpHost, int httpPort, Path tokenFile, ClusterSettings cluster, Duration requestTimeout) {}
