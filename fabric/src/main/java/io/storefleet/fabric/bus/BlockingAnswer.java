package io.storefleet.fabric.bus;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits on the calling thread, which must never be an event loop, for an answer from the
 * cluster; every failure, including the caller giving up, becomes the code {@link ClusterErrors}
 * gives it.
 */
public final class BlockingAnswer {
  private BlockingAnswer() {}

  /**
   * @param limit how long to wait; longer than the bus's own timeout, which should end the request first
   * @param asked what was asked, for the message ("server mbox2", "the cluster directory")
   * @param server the server the error concerns
   */
  public static <T> T await(Future<T> answer, Duration limit, String asked, String server) {
    try {
      return answer.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw ClusterErrors.of(e.getCause(), asked, server);
    } catch (TimeoutException e) {
      throw ClusterErrors.unanswered(asked, "did not answer within " + limit.toSeconds() + " s", server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ClusterErrors.unanswered(asked, "was not awaited: the thread was interrupted", server);
    }
  }
}
