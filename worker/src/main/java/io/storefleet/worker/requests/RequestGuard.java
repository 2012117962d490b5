package io.storefleet.worker.requests;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.CommandReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a request at most once per request id on this server. A repeat of an answered id gets the
 * first answer again, marked as a repeat ({@link CommandReply#asRepeat()}); a repeat that arrives
 * while the first is still running waits for it and gets its answer; an id reused for another
 * command, another set of values or another requester is refused with CONFLICT.
 *
 * <p>Every first answer is kept, errors included: an indefinite error's effect is unknown, so
 * running the request again could do it twice, and a definite one would mostly fail the same way.
 */
public final class RequestGuard {
  private static final Logger LOG = Logger.getLogger(RequestGuard.class.getName());

  /** How a request is made durable before it runs. */
  public enum Start {
    /** Logged as started before it runs, so a crash mid-way is known at the next open (immediate commands). */
    LOGGED,
    /** Not logged first: the action itself commits the request id (an operation's first record). */
    IN_ACTION
  }

  private record Pending(RequestRecord request, Future<CommandReply> answer) {}

  private final Vertx vertx;
  private final String serverId;
  private final RequestLog log;
  private final Clock clock;
  private final Map<String, Pending> running = new ConcurrentHashMap<>();

  public RequestGuard(Vertx vertx, String serverId, RequestLog log, Clock clock) {
    this.vertx = vertx;
    this.serverId = serverId;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Runs {@code action} for the request unless its id was seen; without an id it just runs it.
   */
  public Future<CommandReply> once(String requestId, String command, Map<String, String> params, String requester,
      Start start, Supplier<Future<CommandReply>> action) {
    if (requestId == null) {
      return action.get();
    }
    RequestRecord asked = RequestRecord.started(requestId, clock.instant(), command, params, requester);
    Promise<CommandReply> answer = Promise.promise();
    Pending mine = new Pending(asked, answer.future());
    Pending first = running.putIfAbsent(requestId, mine);
    if (first != null) {
      return repeatOf(asked, first.request(), first.answer());
    }
    RequestRecord known = log.find(requestId).orElse(null);
    if (known != null) {
      running.remove(requestId, mine);
      return repeatOf(asked, known, answerOf(known));
    }
    Future<Void> logged = start == Start.LOGGED
        ? vertx.<Void>executeBlocking(() -> {
          log.started(asked);
          return null;
        })
        : Future.<Void>succeededFuture();
    logged.compose(v -> action.get())
        .transform(ar -> vertx.<Void>executeBlocking(() -> {
          keep(asked, ar.succeeded() ? ar.result() : null,
              ar.succeeded() ? null : BusErrors.toStorefleet(ar.cause(), serverId));
          return null;
        }).transform(kept -> ar.succeeded() ? Future.<CommandReply>succeededFuture(ar.result())
            : Future.<CommandReply>failedFuture(ar.cause())))
        .onComplete(ar -> {
          running.remove(requestId, mine);
          answer.handle(ar);
        });
    return answer.future();
  }

  /**
   * The answer to a repeat of a request id this server has seen (running or answered), without
   * running anything; empty for an id it does not know, which may then be routed as new. Asked
   * before anything that could answer differently the second time (whether this server still owns
   * the account a first {@code deleteAccount} deleted), so that a repeat gets the first answer.
   */
  public Optional<Future<CommandReply>> known(String requestId, String command, Map<String, String> params,
      String requester) {
    if (requestId == null) {
      return Optional.empty();
    }
    RequestRecord asked = RequestRecord.started(requestId, clock.instant(), command, params, requester);
    Pending first = running.get(requestId);
    if (first != null) {
      return Optional.of(repeatOf(asked, first.request(), first.answer()));
    }
    return log.find(requestId).map(known -> repeatOf(asked, known, answerOf(known)));
  }

  private static Future<CommandReply> answerOf(RequestRecord known) {
    return known.reply() != null ? Future.succeededFuture(known.reply())
        : Future.failedFuture(known.error().toException());
  }

  /** Keeps the first answer; a failed write is logged, as the answer itself stands and memory keeps it. */
  private void keep(RequestRecord asked, CommandReply reply, StorefleetException error) {
    if (reply == null && error == null) {
      return;
    }
    RequestRecord r = reply != null ? asked.answer(reply) : asked.failure(ErrorInfo.of(error));
    try {
      log.answered(r);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "server " + serverId + " could not write the answer of request " + asked.id()
          + " to its request log; this process still answers a repeat with it", e);
    }
  }

  private Future<CommandReply> repeatOf(RequestRecord asked, RequestRecord first, Future<CommandReply> answer) {
    if (!first.sameRequest(asked)) {
      return Future.failedFuture(ErrorCode.CONFLICT.exception("request id " + asked.id() + " was already used on server "
          + serverId + " for " + first.command() + " " + first.params() + " by " + first.requester() + "; a retry must"
          + " repeat the same command, and a new command needs a new request id", serverId));
    }
    return answer.transform(ar -> ar.succeeded()
        ? Future.<CommandReply>succeededFuture(ar.result().asRepeat())
        : Future.<CommandReply>failedFuture(repeated(asked.id(), ar.cause())));
  }

  private Throwable repeated(String id, Throwable cause) {
    StorefleetException e = BusErrors.toStorefleet(cause, serverId);
    return new StorefleetException(e.code(), e.getMessage() + " (the first answer to request " + id
        + ", given again: it was not run twice)", e.server());
  }
}
