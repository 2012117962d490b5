package io.storefleet.coordinator.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.aggregate.Broadcaster;
import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the server for an account that no server owns any more: a deleted account lives on only
 * in the backup of the server it was on. Which commands ask is the catalogue's fact ({@code
 * RoutingRule.servedFromBackup}). Every live server is asked with getAccountInfo (which a
 * worker answers from its backup for an account the directory does not know); the one holding
 * the latest deletion wins, else the latest record. When none holds it but some server did not
 * answer, the outcome is unknown: an indefinite error names those servers.
 */
final class BackupHolderLookup {
  private final Broadcaster broadcaster;

  BackupHolderLookup(Broadcaster broadcaster) {
    this.broadcaster = broadcaster;
  }

  Future<String> holder(String account, String requester) {
    CommandRequest ask = CommandRequest.of(BackupCommand.GET_ACCOUNT_INFO, Map.of("account", account), null,
        requester);
    return broadcaster.broadcast(ask).compose(b -> {
      String best = null;
      boolean bestDeleted = false;
      Instant bestAt = null;
      List<String> silent = new ArrayList<>();
      for (ServerResult r : b.results()) {
        if (!r.ok()) {
          if (!r.error().definite()) {
            silent.add(r.server());
          }
          continue;
        }
        JsonNode d = r.reply().result();
        if (d == null || !d.hasNonNull("lastRecorded")) {
          continue;
        }
        boolean deleted = d.path("deleted").asBoolean(false) && !d.hasNonNull("excluded");
        Instant at = Instant.parse(d.get("lastRecorded").asText());
        boolean better = best == null || (deleted && !bestDeleted) || (deleted == bestDeleted && at.isAfter(bestAt));
        if (better) {
          best = r.server();
          bestDeleted = deleted;
          bestAt = at;
        }
      }
      if (best != null) {
        return Future.succeededFuture(best);
      }
      if (!silent.isEmpty()) {
        return Future.failedFuture(ErrorCode.SERVER_UNAVAILABLE.exception("account " + account + " is on no server"
            + " and in no reachable server's backup; server(s) " + String.join(", ", silent) + " did not answer and"
            + " may hold it: retry when they are back"));
      }
      return Future.failedFuture(CommandRouter.unknownAccount(account));
    });
  }
}
