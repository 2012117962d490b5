package io.storefleet.coordinator.requests;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.RequestId;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a change that a coordinator makes itself (a token change) at most once per request id, in
 * the whole cluster: the request is kept in a cluster map before it runs and its first answer
 * after, so a repeat through any coordinator gets the first answer instead of making the change
 * again (a second token, or {@code NOT_FOUND} for a revocation already made). The changes that
 * workers run keep their ids on the worker instead ({@code worker.requests}).
 */
public final class KeptAnswers {
  /** How long a request and its answer are kept: far longer than a client's retries take. */
  public static final Duration KEPT = Duration.ofHours(1);

  private static final Logger LOG = Logger.getLogger(KeptAnswers.class.getName());

  /** A request as kept: who asked what, when, and once known its first answer. */
  record Kept(String requester, String what, Instant at, JsonNode answer, ErrorInfo error) {
    boolean answered() {
      return answer != null || error != null;
    }
  }

  private final ClusterDirectory directory;
  private final Clock clock;

  public KeptAnswers(ClusterDirectory directory, Clock clock) {
    this.directory = directory;
    this.clock = clock;
  }

  /**
   * Runs {@code action} unless {@code requestId} was seen; without an id it just runs it.
   *
   * @param credential the call's raw credential ({@link io.storefleet.coordinator.http.Gate#credential}):
   *     the kept answer opens only with it
   * @param what the request as the audit trail names it ({@code tokens revoke ann}): a repeat must
   *     name the same, or it is refused with CONFLICT
   */
  public <T> Future<T> once(String requestId, String credential, String requester, String what, Class<T> type,
      Supplier<Future<T>> action) {
    SealedEntry entry;
    try {
      if (RequestId.check(requestId) == null) {
        return action.get();
      }
      entry = SealedEntry.forRequest(requestId, credential);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Kept asked = new Kept(requester, what, clock.instant(), null, null);
    return directory.keepAnswer(entry.key(), entry.seal(Json.encode(asked)), KEPT).compose(before -> before.isPresent()
        ? repeat(requestId, asked, Json.decode(entry.open(before.get()), Kept.class), type)
        : action.get().transform(ar -> keep(entry, requestId, asked, ar.succeeded() ? ar.result() : null,
            ar.failed() ? ar.cause() : null).transform(kept -> ar.succeeded()
                ? Future.<T>succeededFuture(ar.result()) : Future.<T>failedFuture(ar.cause()))));
  }

  /** Keeps the first answer; a failed write is only logged, as the answer itself stands. */
  private Future<Void> keep(SealedEntry entry, String requestId, Kept asked, Object result, Throwable error) {
    Kept answered = new Kept(asked.requester(), asked.what(), asked.at(), error == null ? Json.tree(result) : null,
        error == null ? null : ErrorInfo.of(BusErrors.toStorefleet(error, null)));
    return directory.replaceAnswer(entry.key(), entry.seal(Json.encode(answered)), KEPT).onFailure(e ->
        LOG.log(Level.WARNING, "the answer to request " + requestId + " (" + asked.what() + ") could not be kept;"
            + " a repeat will be told its outcome is unknown", e));
  }

  private static <T> Future<T> repeat(String requestId, Kept asked, Kept first, Class<T> type) {
    if (!Objects.equals(first.requester(), asked.requester()) || !Objects.equals(first.what(), asked.what())) {
      return Future.failedFuture(ErrorCode.CONFLICT.exception("request id " + requestId + " was already used for '"
          + first.what() + "' by " + first.requester() + "; a retry must repeat the same request, and a new request"
          + " needs a new request id"));
    }
    if (!first.answered()) {
      return Future.failedFuture(ErrorCode.SERVER_TIMEOUT.exception("request " + requestId + " ('" + first.what()
          + "') was started at " + first.at() + " and its answer is not known: it is still being made, or the"
          + " coordinator making it stopped; check its effect before sending it again with a new request id"));
    }
    if (first.answer() != null) {
      return Future.succeededFuture(Json.fromTree(first.answer(), type));
    }
    StorefleetException e = first.error().toException();
    return Future.failedFuture(new StorefleetException(e.code(), e.getMessage() + " (the first answer to request "
        + requestId + ", given again: it was not run twice)", e.server()));
  }
}
