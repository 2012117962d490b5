package io.storefleet.worker.cluster;

import io.storefleet.fabric.bus.BlockingAnswer;
import io.storefleet.fabric.bus.ClusterErrors;
import io.vertx.core.Future;

/**
 * Waits for an answer from the cluster on the calling thread, which must be one of the queue's
 * threads and never an event loop. Every blocked caller waits the same {@link AskTimeout} and
 * gets the same errors ({@link ClusterErrors}).
 */
public final class ClusterWait {
  private final AskTimeout timeout;
  private final String serverId;

  /** @param serverId this server, which directory failures name */
  public ClusterWait(AskTimeout timeout, String serverId) {
    this.timeout = timeout;
    this.serverId = serverId;
  }

  /** The answer of another server, asked through a {@link ServerLink}. */
  public <T> T server(Future<T> answer, String server) {
    return await(answer, "server " + server, server);
  }

  /** The answer of the cluster directory. */
  public <T> T directory(Future<T> answer) {
    return await(answer, "the cluster directory", serverId);
  }

  /** This server's id. */
  public String serverId() {
    return serverId;
  }

  private <T> T await(Future<T> answer, String asked, String server) {
    return BlockingAnswer.await(answer, timeout.waitLimit(), asked, server);
  }
}
