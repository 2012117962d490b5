package io.storefleet.worker.access;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.TokenRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps this worker's {@link TokenLog} and the cluster's token map in step, both ways: every record
 * on disk is merged into the map (so a full restart brings every token and every revocation back)
 * and every record in the map is merged onto disk (so a token created while this worker was away
 * is kept here too). Runs at start, before the worker reports ready, and periodically.
 */
public final class TokenSync {
  private final Vertx vertx;
  private final ClusterDirectory directory;
  private final TokenLog log;
  private long timer = -1;

  public TokenSync(Vertx vertx, ClusterDirectory directory, TokenLog log) {
    this.vertx = vertx;
    this.directory = directory;
    this.log = log;
  }

  public Future<Void> start(long periodMillis) {
    return sync().onSuccess(v -> timer = vertx.setPeriodic(periodMillis, t -> sync()));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One exchange: disk into the map, then the map onto disk. */
  public Future<Void> sync() {
    return vertx.executeBlocking(log::all, false)
        .compose(onDisk -> {
          List<Future<TokenRecord>> puts = new ArrayList<>();
          onDisk.forEach(r -> puts.add(directory.mergeToken(r)));
          return Future.all(puts);
        })
        .compose(v -> directory.tokens())
        .compose(inMap -> vertx.executeBlocking(() -> {
          for (TokenRecord r : inMap) {
            log.merge(r);
          }
          return null;
        }, false))
        .mapEmpty();
  }
}
