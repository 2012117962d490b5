package io.storefleet.worker.queue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Progress;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A server's unprioritized FIFO queue: operations run one at a time, in the order they were
 * accepted, on the queue's own thread. Every state change is written to the {@link OperationLog}
 * before anyone is told about it. After a restart, finished operations are still listed, queued
 * ones run, and the one that was running is INTERRUPTED.
 */
public final class OperationQueue implements Closeable {
  private static final Logger LOG = Logger.getLogger(OperationQueue.class.getName());

  private enum State { LATENT, STARTED, STOPPED }

  /** How long the runner waits before trying again to record an operation's start on a full disk. */
  static final long START_RETRY_MILLIS = 5_000;

  private final String serverId;
  private final OperationLog log;
  private final Clock clock;
  private final TaskFactory tasks;
  private final Pacer pacer;
  private final Consumer<Operation> onChange;
  private final NoticeRouter router;

  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private final Deque<String> queued = new ArrayDeque<>();
  /** Tasks bound at submission to the command checked then; recovered operations have none. */
  private final Map<String, TaskFactory> bound = new HashMap<>();
  private OperationContext running;
  /** The operation whose start the log could not take, once said in the server's log. */
  private String waitingForLog;
  private long nextSeq;
  private State state = State.LATENT;
  private volatile Thread runner;

  /**
   * @param onChange told of every change (state and progress), after it is logged; must not block
   */
  public OperationQueue(
      String serverId,
      OperationLog log,
      Clock clock,
      TaskFactory tasks,
      Pacer pacer,
      Consumer<Operation> onChange) {
    this(serverId, log, clock, tasks, pacer, onChange, NoticeRouter.RECORD_ONLY);
  }

  /**
   * @param onChange told of every change (state and progress), after it is logged; must not block
   * @param router who the operations' notices are for and how they travel
   */
  public OperationQueue(
      String serverId,
      OperationLog log,
      Clock clock,
      TaskFactory tasks,
      Pacer pacer,
      Consumer<Operation> onChange,
      NoticeRouter router) {
    this.serverId = serverId;
    this.router = router;
    this.log = log;
    this.clock = clock;
    this.tasks = tasks;
    this.pacer = pacer;
    this.onChange = onChange;
    long maxSeq = 0;
    for (Operation op : log.recovered()) {
      maxSeq = Math.max(maxSeq, op.seq());
      Operation o = op;
      if (op.state() == OperationState.RUNNING) {
        o = interrupted(op);
      }
      operations.put(o.uuid(), o);
      if (o.state() == OperationState.QUEUED) {
        queued.add(o.uuid());
      }
    }
    this.nextSeq = maxSeq + 1;
  }

  private Operation interrupted(Operation op) {
    Operation o = op.withState(OperationState.INTERRUPTED, clock.instant()).withError(ErrorInfo.of(
        ErrorCode.INTERNAL.exception("operation " + op.uuid() + " (" + op.command() + ") was running when server "
            + serverId + " stopped; run it again to finish", serverId)));
    o = withEndNotice(o);
    persist(o);
    return o;
  }

  /** Starts the runner thread. */
  public synchronized void start() {
    if (state != State.LATENT) {
      throw new IllegalStateException("queue of server " + serverId + " cannot be started twice");
    }
    state = State.STARTED;
    runner = new Thread(this::runLoop, "storefleet-queue-" + serverId);
    runner.setDaemon(true);
    runner.start();
  }

  /** This queue's runner thread (null before {@link #start()}): tests watch what it waits on. */
  Thread runner() {
    return runner;
  }

  /** Accepts an operation at the tail of the queue; it is committed to the log when this returns. */
  public synchronized Operation submit(String command, Map<String, String> params, String requester, String via) {
    return submit(command, params, requester, via, null);
  }

  /**
   * As {@link #submit(String, Map, String, String)}, with the task already bound to the command
   * as it was checked, so that it is not read back from the record. The record still holds every
   * value: an operation recovered after a restart is built from it by the queue's factory.
   */
  public synchronized Operation submit(String command, Map<String, String> params, String requester, String via,
      TaskFactory task) {
    return submit(command, params, requester, via, null, task);
  }

  /**
   * As {@link #submit(String, Map, String, String, TaskFactory)}, accepted under the client's
   * request id, which the operation's first record carries (null for none).
   */
  public synchronized Operation submit(String command, Map<String, String> params, String requester, String via,
      String requestId, TaskFactory task) {
    if (state == State.STOPPED) {
      throw ErrorCode.SERVER_UNAVAILABLE.exception("server " + serverId + " is shutting down", serverId);
    }
    Instant now = clock.instant();
    Operation op = new Operation(UUID.randomUUID().toString(), serverId, command, params, requester, via, nextSeq++,
        OperationState.QUEUED, now, null, null, Progress.none(now), OperationStats.empty(), null, null, requestId);
    persist(op);
    operations.put(op.uuid(), op);
    queued.add(op.uuid());
    if (task != null) {
      bound.put(op.uuid(), task);
    }
    notifyAll();
    onChange.accept(op);
    return op;
  }

  /** One operation by uuid. */
  public synchronized Optional<Operation> get(String uuid) {
    return Optional.ofNullable(operations.get(uuid));
  }

  /**
   * The queue: the running operation and the queued ones in order; with {@code verbose} also
   * the finished ones, oldest first.
   */
  public synchronized List<Operation> list(boolean verbose) {
    List<Operation> out = new ArrayList<>();
    for (Operation op : operations.values()) {
      if (verbose || !op.state().terminal()) {
        out.add(op);
      }
    }
    return out;
  }

  /** Stops a running operation (→ STOPPED when its task notices) or removes a queued one. */
  public synchronized Operation stop(String uuid) {
    Operation op = operations.get(uuid);
    if (op == null) {
      throw ErrorCode.UNKNOWN_OPERATION.exception(
          "operation " + uuid + " is not known on server " + serverId
              + "; list operations with getAllOperations verbose true", serverId);
    }
    if (op.state() == OperationState.QUEUED) {
      queued.remove(uuid);
      bound.remove(uuid);
      Operation removed = withEndNotice(op.withState(OperationState.REMOVED, clock.instant()));
      persist(removed);
      operations.put(uuid, removed);
      onChange.accept(removed);
      return removed;
    }
    if (op.state() == OperationState.RUNNING && running != null
        && running.operation().uuid().equals(uuid)) {
      running.requestStop();
      notifyAll();
      return op;
    }
    throw ErrorCode.OPERATION_FINISHED.exception(
        "operation " + uuid + " already ended as " + op.state() + "; nothing to stop", serverId);
  }

  /** Removes every queued operation and stops the running one. */
  public synchronized List<Operation> stopAll() {
    List<Operation> out = new ArrayList<>();
    for (String uuid : new ArrayList<>(queued)) {
      out.add(stop(uuid));
    }
    if (running != null) {
      out.add(stop(running.operation().uuid()));
    }
    return out;
  }

  private void runLoop() {
    while (true) {
      OperationContext ctx;
      TaskFactory factory;
      synchronized (this) {
        while (state == State.STARTED && queued.isEmpty()) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (state != State.STARTED) {
          return;
        }
        Operation op = operations.get(queued.peek()).withState(OperationState.RUNNING, clock.instant());
        factory = bound.getOrDefault(op.uuid(), tasks);
        try {
          persist(op);
        } catch (UncheckedIOException e) {
          if (!notStarted(op, e)) {
            try {
              wait(START_RETRY_MILLIS);
            } catch (InterruptedException stop) {
              return;
            }
          }
          continue;
        }
        queued.poll();
        bound.remove(op.uuid());
        operations.put(op.uuid(), op);
        ctx = new OperationContext(op, clock, pacer, p -> progress(op.uuid(), p), router,
            n -> notice(op.uuid(), n));
        running = ctx;
        onChange.accept(op);
      }
      finish(ctx, TaskOutcome.of(ctx, factory, serverId));
    }
  }

  private synchronized void finish(OperationContext ctx, TaskOutcome outcome) {
    Operation op = operations.get(ctx.operation().uuid()).withState(outcome.state(), clock.instant());
    if (outcome.stats() != null) {
      op = op.withStats(outcome.stats());
    }
    if (outcome.error() != null) {
      op = op.withError(outcome.error());
    }
    running = null;
    if (state == State.STOPPED) {
      // Shutting down: leave the log saying RUNNING so that the restart reports INTERRUPTED.
      return;
    }
    op = withEndNotice(op);
    try {
      persist(op);
    } catch (UncheckedIOException e) {
      // The runner must go on (the disk may have space again for the next operation); the log
      // still says RUNNING, so after a restart this one shows INTERRUPTED.
      LOG.log(Level.WARNING, "the end of operation " + op.uuid() + " (" + op.state() + ") is not recorded", e);
    }
    operations.put(op.uuid(), op);
    onChange.accept(op);
  }

  /**
   * An operation whose start could not be recorded does not run. It is shown FAILED only once that
   * end is recorded, so that no restart runs an operation its requester was told failed; when the
   * log takes that record no more than the first, the operation stays QUEUED at the head, on disk
   * and here, and its start is tried again when the disk may have room (at the next submission,
   * stop, or after {@link #START_RETRY_MILLIS}). Returns whether it ended.
   */
  private boolean notStarted(Operation op, UncheckedIOException e) {
    Operation failed = withEndNotice(op.withState(OperationState.FAILED, clock.instant()).withError(ErrorInfo.of(
        ErrorCode.IO_ERROR.exception(op.command() + " did not start on server " + serverId + ": "
            + e.getCause().getMessage(), serverId))));
    try {
      persist(failed);
    } catch (UncheckedIOException again) {
      if (!op.uuid().equals(waitingForLog)) {
        LOG.log(Level.WARNING, "operation " + op.uuid() + " stays queued: neither its start nor its failure can be"
            + " recorded; it starts once the log can be written", e);
        waitingForLog = op.uuid();
      }
      return false;
    }
    LOG.log(Level.WARNING, "operation " + op.uuid() + " could not be started", e);
    queued.poll();
    bound.remove(op.uuid());
    operations.put(op.uuid(), failed);
    onChange.accept(failed);
    return true;
  }

  private synchronized void notice(String uuid, Notification n) {
    Operation op = operations.get(uuid);
    if (op == null || op.state() != OperationState.RUNNING) {
      return;
    }
    Operation updated = op.withNotification(n);
    persist(updated);
    operations.put(uuid, updated);
    onChange.accept(updated);
  }

  /** The same record with its "Operation Ended" notice when it names recipients. */
  private Operation withEndNotice(Operation op) {
    Notification n = router.ended(op, clock.instant());
    return n == null ? op : op.withNotification(n);
  }

  /**
   * Replaces the {@code index}th notice of an operation with the same notice in a new delivery
   * state, logged before anyone is told; false when there is no such notice (any more).
   */
  public synchronized boolean updateNotice(String uuid, int index, Notification n) {
    Operation op = operations.get(uuid);
    if (op == null || index < 0 || index >= op.notifications().size()) {
      return false;
    }
    Operation updated = op.withNotificationAt(index, n);
    persist(updated);
    operations.put(uuid, updated);
    onChange.accept(updated);
    return true;
  }

  private synchronized void progress(String uuid, Progress p) {
    Operation op = operations.get(uuid);
    if (op == null || op.state() != OperationState.RUNNING) {
      return;
    }
    Operation updated = op.withProgress(p);
    operations.put(uuid, updated);
    onChange.accept(updated);
  }

  private void persist(Operation op) {
    try {
      log.write(op);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the operation log of server " + serverId, e);
    }
  }

  /** Stops taking work; a running task is asked to stop and its record stays RUNNING on disk. */
  @Override
  public void close() throws IOException {
    Thread t;
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
      if (running != null) {
        running.requestStop();
      }
      notifyAll();
      t = runner;
    }
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.close();
  }
}
