package io.storefleet.worker.directory;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mutation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes this server and its accounts to the cluster directory from the store, which is the
 * truth: at start, again periodically so that entries lost with failed members come back, and
 * after every provisioning change the store journals, so that {@code servers} and the account
 * entries are right at once and not only after the next period.
 *
 * <p>Every publication, periodic or change-triggered, goes through one serial path: a request
 * made while one runs is served by one more publication after it, which reads the store afresh.
 * So no two overlap and the last to land read the store last: an older account count, an entry
 * of an account deleted meanwhile, or the prune of an account created meanwhile never outlives
 * the change.
 */
public final class DirectorySync {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(DirectorySync.class.getName());
  private final Vertx vertx;
  private final ClusterDirectory directory;
  private final MailStore store;
  private final String serverId;
  private final String nodeId;
  private final String backupPath;
  private final java.time.Instant startedAt;
  private final java.util.function.Supplier<List<String>> operations;
  private long timer = -1;
  private volatile boolean stopped;
  /** Callers waiting for a publication that has not started yet; guarded by {@code this}. */
  private List<Promise<Void>> waiting = new ArrayList<>();
  /** A publication is under way; guarded by {@code this}. */
  private boolean running;

  public DirectorySync(
      Vertx vertx, ClusterDirectory directory, MailStore store, String serverId, String nodeId,
      String backupPath, Clock clock, java.util.function.Supplier<List<String>> operations) {
    this.operations = operations;
    this.vertx = vertx;
    this.directory = directory;
    this.store = store;
    this.serverId = serverId;
    this.nodeId = nodeId;
    this.backupPath = backupPath;
    this.startedAt = clock.instant();
  }

  /**
   * Publishes everything once, then every {@code periodMillis}; first forgets the departure of the
   * member that served this server before, which no longer says anything once it is back.
   */
  public Future<Void> start(long periodMillis) {
    store.addListener(this::onChange);
    // Only a cleanup: a directory that refuses it must not keep the server from being published.
    return directory.clearDeparture(serverId)
        .recover(err -> {
          LOG.log(java.util.logging.Level.WARNING, "the departure record of " + serverId + " was not cleared: "
              + err.getMessage(), err);
          return Future.succeededFuture();
        })
        .compose(v -> publish())
        .onSuccess(v -> timer = vertx.setPeriodic(periodMillis, t -> publish()));
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Asks for a publication of the server, every account and every operation in its log, with
   * the removal of entries for accounts it no longer has. The future completes when a
   * publication that read the store after this call has landed.
   */
  public Future<Void> publish() {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      waiting.add(done);
      if (running) {
        return done.future();
      }
      running = true;
    }
    runNext();
    return done.future();
  }

  /** Runs one publication for everyone waiting, then again while requests came in meanwhile. */
  private void runNext() {
    List<Promise<Void>> batch;
    synchronized (this) {
      batch = waiting;
      waiting = new ArrayList<>();
      if (batch.isEmpty()) {
        running = false;
        return;
      }
    }
    Future<Void> once = stopped
        ? Future.failedFuture(new IllegalStateException("directory sync of " + serverId + " is stopped"))
        : publishOnce();
    once.onComplete(ar -> {
      batch.forEach(p -> p.handle(ar));
      runNext();
    });
  }

  private Future<Void> publishOnce() {
    return vertx
        .executeBlocking(() -> new ArrayList<>(store.accounts()))
        .compose(accounts -> {
          List<Future<Void>> puts = new ArrayList<>();
          Set<String> ids = new HashSet<>();
          for (Account a : accounts) {
            ids.add(a.id());
            puts.add(directory.putAccount(new AccountLocation(a.name(), a.id(), serverId), a.aliases()));
          }
          ServerInfo info = info(accounts.size());
          for (String uuid : operations.get()) {
            puts.add(directory.putOperation(uuid, serverId));
          }
          return Future.all(puts)
              .compose(v -> directory.pruneAccounts(serverId, ids))
              .compose(v -> directory.putServer(info));
        });
  }

  private ServerInfo info(int accounts) {
    return new ServerInfo(serverId, nodeId, startedAt, store.kind(), backupPath, accounts, null);
  }

  /** Called on the committing thread after each store mutation. */
  private void onChange(JournalEntry e) {
    if (!stopped && (e.type() == Mutation.ACCOUNT_CREATED || e.type() == Mutation.ACCOUNT_DELETED
        || e.type() == Mutation.ACCOUNT_UPDATED)) {
      publish();
    }
  }
}
