package io.storefleet.worker.directory;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes this server and its accounts to the cluster directory from the store, which is the
 * truth: at start, and again periodically so that entries lost with failed members come back.
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
    return publish().onSuccess(v -> timer = vertx.setPeriodic(periodMillis, t -> publish()));
  }

  public void stop() {
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
          ServerInfo info = new ServerInfo(
              serverId, nodeId, startedAt, store.kind(), backupPath, accounts.size(), null);
          for (String uuid : operations.get()) {
            puts.add(directory.putOperation(uuid, serverId));
          }
          return Future.all(puts)
              .compose(v -> directory.pruneAccounts(serverId, ids))
              .compose(v -> directory.putServer(info));
        });
  }
}
