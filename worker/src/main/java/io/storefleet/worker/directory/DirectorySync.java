package io.storefleet.worker.directory;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mutation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes this server and its accounts to the cluster directory from the store, which is the
 * truth: at start, again periodically so that entries lost with failed members come back, and
 * the server's entry (its account count) after every provisioning change the store journals, so
 * that {@code servers} is right at once and not only after the next period.
 */
public final class DirectorySync {
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
  /** A provisioning change not yet published. */
  private final AtomicBoolean dirty = new AtomicBoolean();
  /** A server entry being published: one at a time, so an older count never lands last. */
  private final AtomicBoolean publishing = new AtomicBoolean();

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

  /** Publishes everything once, then every {@code periodMillis}. */
  public Future<Void> start(long periodMillis) {
    store.addListener(this::onChange);
    return publish().onSuccess(v -> timer = vertx.setPeriodic(periodMillis, t -> publish()));
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Registers the server, every account and every operation in its log, and removes entries for
   * accounts it no longer has.
   */
  public Future<Void> publish() {
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
    if (e.type() == Mutation.ACCOUNT_CREATED || e.type() == Mutation.ACCOUNT_DELETED
        || e.type() == Mutation.ACCOUNT_UPDATED) {
      dirty.set(true);
      publishChanged();
    }
  }

  /** Publishes the server's entry while changes are pending, one publication at a time. */
  private void publishChanged() {
    if (stopped || !publishing.compareAndSet(false, true)) {
      return;
    }
    if (!dirty.getAndSet(false)) {
      publishing.set(false);
      return;
    }
    vertx.executeBlocking(() -> store.accounts().size())
        .compose(n -> directory.putServer(info(n)))
        .onComplete(ar -> {
          publishing.set(false);
          if (dirty.get()) {
            publishChanged();
          }
        });
  }
}
