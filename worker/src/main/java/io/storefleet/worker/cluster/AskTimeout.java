package io.storefleet.worker.cluster;

import java.time.Duration;

/**
 * How long a worker waits for the rest of the cluster. A request to another server is given up
 * after {@code request}: the bus then reports a timeout, which is SERVER_TIMEOUT (indefinite). A
 * caller that blocks for an answer (a queued operation) waits {@code grace} longer, only so that a
 * lost callback cannot hold it forever; calls to the cluster directory get that same limit.
 *
 * @param request how long one request may take ({@code server.requestTimeoutSeconds})
 * @param grace how much longer a blocked caller waits before it gives up itself
 */
public record AskTimeout(Duration request, Duration grace) {
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  public AskTimeout {
    if (request == null || request.isNegative() || request.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive, not " + request);
    }
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative, not " + grace);
    }
  }

  /** A request timeout with the usual grace of 5 s. */
  public static AskTimeout of(Duration request) {
    return new AskTimeout(request, DEFAULT_GRACE);
  }

  /** How long a blocked caller waits in all. */
  public Duration waitLimit() {
    return request.plus(grace);
  }
}
