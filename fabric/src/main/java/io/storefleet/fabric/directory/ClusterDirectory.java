package io.storefleet.fabric.directory;

import io.storefleet.protocol.access.ConsoleSession;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.address.ClusterMaps;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerDeparture;
import io.storefleet.protocol.wire.ServerHealth;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live directory of the cluster: which servers exist and which server owns each account and
 * each operation. It is backed by Hazelcast maps through Vert.x's async shared data, so no call
 * blocks an event loop. Workers rebuild their part from their own stores when they (re)join.
 */
public final class ClusterDirectory {
  private final Vertx vertx;
  /** First lookups under way (or done) per map name. */
  private final Map<String, Future<AsyncMap<String, String>>> maps = new ConcurrentHashMap<>();
  private final Map<String, AsyncMap<String, String>> resolved = new ConcurrentHashMap<>();

  public ClusterDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Hazelcast creates a map's proxy on the calling thread the first time a member asks for it,
   * and while members join or leave that waits for the cluster: seconds on an event loop. So the
   * first lookup of each map runs on a worker thread, and its handle is kept.
   */
  private Future<AsyncMap<String, String>> map(String name) {
    AsyncMap<String, String> ready = resolved.get(name);
    if (ready != null) {
      // A future without a context: the caller's chain goes on on the caller's own thread, not on
      // the context that happened to make the first lookup.
      return Future.succeededFuture(ready);
    }
    return maps.computeIfAbsent(name, n -> {
      Future<AsyncMap<String, String>> f = vertx.executeBlocking(
          () -> vertx.sharedData().<String, String>getAsyncMap(n).toCompletionStage().toCompletableFuture().get());
      f.onSuccess(m -> resolved.put(n, m)).onFailure(e -> maps.remove(n));
      return f;
    });
  }

  /** Registers or refreshes a server's entry. */
  public Future<Void> putServer(ServerInfo info) {
    return map(ClusterMaps.SERVERS).compose(m -> m.put(info.serverId(), Json.encode(info)));
  }

  /** A server's entry. */
  public Future<Optional<ServerInfo>> server(String serverId) {
    return map(ClusterMaps.SERVERS)
        .compose(m -> m.get(serverId))
        .map(v -> Optional.ofNullable(v).map(s -> entry(ClusterMaps.SERVERS, serverId, s, ServerInfo.class)));
  }

  /** Every registered server, sorted by id. */
  public Future<List<ServerInfo>> servers() {
    return map(ClusterMaps.SERVERS)
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              List<ServerInfo> out = new ArrayList<>();
              for (Map.Entry<String, String> e : entries.entrySet()) {
                out.add(entry(ClusterMaps.SERVERS, e.getKey(), e.getValue(), ServerInfo.class));
              }
              out.sort(Comparator.comparing(ServerInfo::serverId));
              return out;
            });
  }

  /** Keeps a worker's last report of its backup's health, under its server id. */
  public Future<Void> putServerHealth(String serverId, ServerHealth health) {
    return map(ClusterMaps.SERVER_HEALTH).compose(m -> m.put(serverId, Json.encode(health)));
  }

  /** Every server's last report, by server id. */
  public Future<Map<String, ServerHealth>> serverHealth() {
    return map(ClusterMaps.SERVER_HEALTH).compose(AsyncMap::entries).map(entries -> {
      Map<String, ServerHealth> out = new java.util.HashMap<>();
      entries.forEach((k, v) -> out.put(k, entry(ClusterMaps.SERVER_HEALTH, k, v, ServerHealth.class)));
      return out;
    });
  }

  /**
   * Records that the member {@code nodeId} left at {@code noticedAt}, for each server it served.
   * Every member that sees the removal calls this; the first record of that member stays, and a
   * record of an earlier member of the same server is replaced.
   */
  public Future<Void> recordDeparture(String nodeId, java.time.Instant noticedAt) {
    String json = Json.encode(new ServerDeparture(nodeId, noticedAt));
    return servers().compose(all -> map(ClusterMaps.SERVERS_LEFT).compose(m -> Future.all(all.stream()
        .filter(s -> nodeId.equals(s.nodeId()))
        .map(s -> m.get(s.serverId()).compose(old -> {
          if (old == null) {
            return m.putIfAbsent(s.serverId(), json).mapEmpty();
          }
          return nodeId.equals(entry(ClusterMaps.SERVERS_LEFT, s.serverId(), old, ServerDeparture.class).nodeId())
              ? Future.succeededFuture() : m.replaceIfPresent(s.serverId(), old, json).mapEmpty();
        })).toList()).mapEmpty()));
  }

  /** Forgets a server's departure: its worker is back. */
  public Future<Void> clearDeparture(String serverId) {
    return map(ClusterMaps.SERVERS_LEFT).compose(m -> m.remove(serverId)).mapEmpty();
  }

  /** Every recorded departure, by server id. */
  public Future<Map<String, ServerDeparture>> departures() {
    return map(ClusterMaps.SERVERS_LEFT).compose(AsyncMap::entries).map(entries -> {
      Map<String, ServerDeparture> out = new java.util.HashMap<>();
      entries.forEach((k, v) -> out.put(k, entry(ClusterMaps.SERVERS_LEFT, k, v, ServerDeparture.class)));
      return out;
    });
  }

  /** Records that {@code loc.server()} owns the account, under its name, aliases and id. */
  public Future<Void> putAccount(AccountLocation loc, List<String> aliases) {
    String json = Json.encode(loc);
    Future<Void> byId = map(ClusterMaps.ACCOUNTS_BY_ID).compose(m -> m.put(loc.accountId(), json));
    return byId.compose(
        v ->
            map(ClusterMaps.ACCOUNTS_BY_NAME)
                .compose(
                    m -> {
                      List<Future<Void>> puts = new ArrayList<>();
                      puts.add(m.put(key(loc.name()), json));
                      for (String a : aliases) {
                        puts.add(m.put(key(a), json));
                      }
                      return Future.all(puts).mapEmpty();
                    }));
  }

  /**
   * Forgets an account, but only where the directory still says {@code server} owns it: a
   * stale delete from a server the account has left must not erase the new owner's entry.
   */
  public Future<Void> removeAccount(String server, String accountId, List<String> names) {
    Future<Void> byId =
        map(ClusterMaps.ACCOUNTS_BY_ID).compose(m -> removeIfOwned(m, accountId, server));
    return byId.compose(
        v ->
            map(ClusterMaps.ACCOUNTS_BY_NAME)
                .compose(
                    m -> {
                      List<Future<Void>> rs = new ArrayList<>();
                      for (String n : names) {
                        rs.add(removeIfOwned(m, key(n), server));
                      }
                      return Future.all(rs).mapEmpty();
                    }));
  }

  private static Future<Void> removeIfOwned(AsyncMap<String, String> m, String k, String server) {
    return m.get(k)
        .compose(
            v -> {
              if (v != null && server.equals(entry("storefleet.accounts", k, v, AccountLocation.class).server())) {
                return m.removeIfPresent(k, v).mapEmpty();
              }
              return Future.succeededFuture();
            });
  }

  /** The owner of an account given by name, alias or id. */
  public Future<Optional<AccountLocation>> locate(String nameOrId) {
    return map(ClusterMaps.ACCOUNTS_BY_NAME)
        .compose(m -> m.get(key(nameOrId)))
        .compose(
            v -> {
              if (v != null) {
                return Future.succeededFuture(v);
              }
              return map(ClusterMaps.ACCOUNTS_BY_ID).compose(m -> m.get(nameOrId.toLowerCase(Locale.ROOT)));
            })
        .map(v -> Optional.ofNullable(v).map(s -> entry("storefleet.accounts", nameOrId, s, AccountLocation.class)));
  }

  /**
   * One entry read back. Only cluster members write these maps, so an unreadable one was
   * damaged or written by something else: a named error, never a silent skip nor a
   * MALFORMED_REQUEST that would blame the caller.
   */
  private static <T> T entry(String map, String key, String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (java.io.IOException | RuntimeException e) {
      throw ErrorCode.DIRECTORY_DAMAGED.exception("the cluster directory's entry " + map + "[" + key + "] is not a "
          + type.getSimpleName() + " (" + e.getMessage().lines().findFirst().orElse("") + "); its worker rewrites it"
          + " within 30 s. If it stays damaged, something outside the cluster writes to Hazelcast: see docs/security.md,"
          + " \"What Hazelcast leaves open\"");
    }
  }

  /** member id → its certificate statement (JSON of {@code fabric.tls.MemberCertificate}), with event-bus TLS. */
  public Future<Map<String, String>> memberCertificates() {
    return map(ClusterMaps.MEMBER_CERTIFICATES).compose(AsyncMap::entries);
  }

  /** Every account location (one per account id). */
  public Future<List<AccountLocation>> accounts() {
    return map(ClusterMaps.ACCOUNTS_BY_ID)
        .compose(AsyncMap::entries)
        .map(
            (Map<String, String> entries) -> {
              List<AccountLocation> out = new ArrayList<>();
              for (Map.Entry<String, String> e : entries.entrySet()) {
                out.add(entry(ClusterMaps.ACCOUNTS_BY_ID, e.getKey(), e.getValue(), AccountLocation.class));
              }
              out.sort(Comparator.comparing(AccountLocation::name));
              return out;
            });
  }

  /**
   * Removes the entries that say {@code server} owns an account it no longer has, after a
   * restart found the store without them.
   */
  public Future<Void> pruneAccounts(String server, java.util.Set<String> liveIds) {
    return accounts()
        .compose(
            all -> {
              List<Future<Void>> rs = new ArrayList<>();
              for (AccountLocation a : all) {
                if (server.equals(a.server()) && !liveIds.contains(a.accountId())) {
                  rs.add(removeAccount(server, a.accountId(), List.of(a.name())));
                }
              }
              return Future.all(rs).mapEmpty();
            });
  }

  /** Records which server holds an operation. */
  public Future<Void> putOperation(String uuid, String server) {
    return map(ClusterMaps.OPERATIONS).compose(m -> m.put(uuid, server));
  }

  /** The server that holds an operation, if known. */
  public Future<Optional<String>> operationServer(String uuid) {
    return map(ClusterMaps.OPERATIONS).compose(m -> m.get(uuid)).map(Optional::ofNullable);
  }

  /** The record of a token id (revoked ones included), if any. */
  public Future<Optional<TokenRecord>> token(String id) {
    return map(ClusterMaps.TOKENS).compose(m -> m.get(id))
        .map(v -> Optional.ofNullable(v).map(s -> Json.decode(s, TokenRecord.class)));
  }

  /** Every token record, revoked ones included, sorted by name. */
  public Future<List<TokenRecord>> tokens() {
    return map(ClusterMaps.TOKENS).compose(AsyncMap::entries).map(entries -> {
      List<TokenRecord> out = new ArrayList<>();
      for (String v : entries.values()) {
        out.add(Json.decode(v, TokenRecord.class));
      }
      out.sort(Comparator.comparing(TokenRecord::name).thenComparing(TokenRecord::createdAt));
      return out;
    });
  }

  /**
   * Merges a token record into the map ({@link TokenRecord#merge}: a revocation always wins) with
   * compare-and-set, so concurrent writers never undo a revocation; completes with what the map holds.
   */
  public Future<TokenRecord> mergeToken(TokenRecord record) {
    return map(ClusterMaps.TOKENS).compose(m -> mergeToken(m, record, 0));
  }

  private static Future<TokenRecord> mergeToken(AsyncMap<String, String> m, TokenRecord record, int attempt) {
    return m.get(record.id()).compose(old -> {
      TokenRecord current = old == null ? null : Json.decode(old, TokenRecord.class);
      TokenRecord merged = current == null ? record : current.merge(record);
      if (merged.equals(current)) {
        return Future.succeededFuture(merged);
      }
      Future<Boolean> written = old == null
          ? m.putIfAbsent(record.id(), Json.encode(merged)).map(prev -> prev == null)
          : m.replaceIfPresent(record.id(), old, Json.encode(merged));
      return written.compose(ok -> {
        if (ok) {
          return Future.succeededFuture(merged);
        }
        if (attempt >= 20) {
          return Future.failedFuture(io.storefleet.protocol.error.ErrorCode.INTERNAL.exception(
              "token " + record.name() + " is being changed by many writers at once; retry"));
        }
        return mergeToken(m, record, attempt + 1);
      });
    });
  }

  /**
   * How long the server a request id was sent to is remembered: as long as a worker keeps the id
   * with its answer by default ({@code worker.requests.Retention}).
   */
  public static final java.time.Duration REQUESTS_REMEMBERED = java.time.Duration.ofHours(24);

  /**
   * Records that a request id is sent to {@code server}, unless it was sent somewhere already;
   * completes with where it was first sent (this server when it is new).
   */
  public Future<String> placeRequest(String requestId, String server) {
    return map(ClusterMaps.REQUESTS_PLACED)
        .compose(m -> m.putIfAbsent(requestId, server, REQUESTS_REMEMBERED.toMillis()))
        .map(before -> before == null ? server : before);
  }

  /** Records that a request id now goes to {@code server} (a worker forwarded it to the owner). */
  public Future<Void> movePlacedRequest(String requestId, String server) {
    return map(ClusterMaps.REQUESTS_PLACED).compose(m -> m.put(requestId, server, REQUESTS_REMEMBERED.toMillis()));
  }

  /** Forgets that a request id was sent to {@code server}, for a send that never reached it. */
  public Future<Void> unplaceRequest(String requestId, String server) {
    return map(ClusterMaps.REQUESTS_PLACED).compose(m -> m.removeIfPresent(requestId, server)).mapEmpty();
  }

  /** The server a request id was sent to, if remembered. */
  public Future<Optional<String>> placedRequest(String requestId) {
    return map(ClusterMaps.REQUESTS_PLACED).compose(m -> m.get(requestId)).map(Optional::ofNullable);
  }

  /**
   * Keeps {@code value} under {@code key} for {@code lifetime} unless something is kept there
   * already; completes with what was (empty when this was kept).
   */
  public Future<Optional<String>> keepAnswer(String key, String value, java.time.Duration lifetime) {
    return map(ClusterMaps.REQUESTS_ANSWERED).compose(m -> m.putIfAbsent(key, value, lifetime.toMillis()))
        .map(Optional::ofNullable);
  }

  /** Replaces what is kept under {@code key} (a request's answer after its start) for {@code lifetime}. */
  public Future<Void> replaceAnswer(String key, String value, java.time.Duration lifetime) {
    return map(ClusterMaps.REQUESTS_ANSWERED).compose(m -> m.put(key, value, lifetime.toMillis()));
  }

  /** Keeps a console session under {@code id} (a hash of its secret) for at most {@code lifetime}. */
  public Future<Void> putConsoleSession(String id, ConsoleSession session, java.time.Duration lifetime) {
    return map(ClusterMaps.CONSOLE_SESSIONS).compose(m -> m.put(id, Json.encode(session), lifetime.toMillis()));
  }

  /** The console session kept under {@code id}, unless it ended or expired. */
  public Future<Optional<ConsoleSession>> consoleSession(String id) {
    return map(ClusterMaps.CONSOLE_SESSIONS).compose(m -> m.get(id))
        .map(v -> Optional.ofNullable(v).map(s -> Json.decode(s, ConsoleSession.class)));
  }

  /** Ends the console session kept under {@code id}. */
  public Future<Void> removeConsoleSession(String id) {
    return map(ClusterMaps.CONSOLE_SESSIONS).compose(m -> m.remove(id)).mapEmpty();
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
