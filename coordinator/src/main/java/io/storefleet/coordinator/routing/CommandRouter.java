package io.storefleet.coordinator.routing;

import io.storefleet.coordinator.aggregate.Broadcaster;
import io.storefleet.coordinator.aggregate.QueueAggregator;
import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.coordinator.shares.ClusterShares;
import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.catalogue.Route;
import io.storefleet.protocol.catalogue.RoutingRule;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.protocol.wire.BroadcastReply;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.protocol.wire.OperationTable;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.protocol.wire.ServerResult;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Carries each command where {@link RoutingRule} sends it: account commands to the owner of the
 * account (a named wrong target is sent there and proxied by that worker; a deleted account to
 * the server whose backup holds it), server commands to the named server, the default one or all
 * of them, and the cases the coordinator answers itself to the queue aggregator and the
 * cluster-wide share check.
 */
public final class CommandRouter {
  private final CommandParser parser = new CommandParser();
  private final ClusterDirectory directory;
  private final ServerLiveness liveness;
  private final WorkerClient client;
  private final Broadcaster broadcaster;
  private final QueueAggregator queues;
  private final BackupHolderLookup holders;
  private final ClusterShares shares;
  private final RoutingMetrics metrics;
  private final RequestPlacement placement;

  /** How a request reaches one server: straight, or recorded first as where its request id went. */
  private interface Sender extends BiFunction<String, CommandRequest, Future<CommandReply>> {}

  public CommandRouter(ClusterDirectory directory, ServerLiveness liveness, WorkerClient client, ClusterShares shares) {
    this(directory, liveness, client, shares, new RoutingMetrics(new io.storefleet.fabric.metrics.NodeMetrics()));
  }

  /** A router that times every command and counts its errors in {@code metrics}. */
  public CommandRouter(ClusterDirectory directory, ServerLiveness liveness, WorkerClient client, ClusterShares shares,
      RoutingMetrics metrics) {
    this.metrics = metrics;
    this.directory = directory;
    this.liveness = liveness;
    this.client = client;
    this.broadcaster = new Broadcaster(liveness, client);
    this.queues = new QueueAggregator(broadcaster, client, directory, liveness);
    this.holders = new BackupHolderLookup(broadcaster);
    this.shares = shares;
    this.placement = new RequestPlacement(directory, liveness, client);
  }

  public QueueAggregator queues() {
    return queues;
  }

  /** Parses and routes a command typed as {@code args}; errors are definite parse errors or routing errors. */
  public Future<ApiResult> submit(Module module, List<String> args, String target, String requester) {
    ParsedCommand cmd;
    try {
      cmd = parser.parse(module, args);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return route(cmd, target, requester);
  }

  /** Routes a command already parsed (once, by whoever received it), without request id. */
  public Future<ApiResult> route(ParsedCommand cmd, String target, String requester) {
    return route(cmd, target, requester, null);
  }

  /**
   * Routes a command already parsed, carrying the client's request id to the server (or, in a
   * broadcast, to every server) that runs it.
   */
  public Future<ApiResult> route(ParsedCommand cmd, String target, String requester, String requestId) {
    Route route;
    try {
      route = cmd.route(target);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // Only the operator's values travel: the worker that runs the command fills in its own
    // defaults, so a worker one version older never sees a new optional parameter unless used.
    CommandRequest req = new CommandRequest(cmd.spec().module().word(), cmd.name(), cmd.given(), target, null,
        requester, requestId);
    Route chosen = route;
    if (requestId == null || cmd.spec().readOnly() || !placedByRequestId(route)) {
      return metrics.time(chosen, () -> dispatch(cmd, chosen, req, target, client::send));
    }
    // A repeat goes where its id went the first time, whatever routing would choose now.
    return metrics.time(chosen, () -> placement.placed(requestId).compose(at -> at.isPresent()
        ? placement.resend(at.get(), req).map(this::reply)
        : dispatch(cmd, chosen, req, target, placement::send)));
  }

  /** The routes whose server depends on when they are asked (who owns the account, who has fewest). */
  private static boolean placedByRequestId(Route route) {
    return route == Route.OWNER || route == Route.ONLY_SERVER || route == Route.FEWEST_ACCOUNTS
        || route == Route.SHARE_FIX;
  }

  private Future<ApiResult> dispatch(ParsedCommand cmd, Route route, CommandRequest req, String target,
      Sender send) {
    return switch (route) {
      case OWNER -> account(cmd, req, target, send);
      case NAMED_SERVER -> liveness.reachable(target).compose(s -> client.send(target, req)).map(this::reply);
      case EVERY_SERVER -> broadcaster.broadcast(req).map(this::broadcastResult);
      case ONLY_SERVER, FEWEST_ACCOUNTS -> defaultServer(cmd.spec(), route).compose(s -> send.apply(s, req))
          .map(this::reply);
      case QUEUE_TABLE -> queues.all(cmd.bool("verbose"), req.requester()).map(this::tableResult);
      case OPERATION_HOLDER -> queues.forOperation(cmd.required("operation_uuid"),
          cmd.has("operation_host") ? cmd.string("operation_host") : target, req).map(this::reply);
      case SHARE_CHECK -> shares.check();
      case SHARE_FIX -> shares.fix(req, send);
    };
  }

  private Future<ApiResult> account(ParsedCommand cmd, CommandRequest req, String target, Sender send) {
    String account = cmd.routingAccount();
    boolean fromBackup = RoutingRule.servedFromBackup(cmd.spec());
    if (target != null && RoutingRule.servedFromNamedPath(cmd.spec(), cmd.values())) {
      // The backup_path is a folder of the named server's machine: no other server may read it in
      // its place, so a failure there is the answer.
      return liveness.reachable(target).compose(s -> send.apply(target, req).map(this::reply));
    }
    if (target != null) {
      // The named server runs it if it owns the account and proxies it to the owner otherwise.
      // If the named server is down, the owner may not be: ask the directory instead of failing.
      // Membership news can lag a process's death by a moment, so a failed send counts too.
      return liveness.reachable(target)
          .compose(s -> send.apply(target, req).map(this::reply))
          .recover(err -> err instanceof io.storefleet.protocol.error.StorefleetException se
                  && se.code() == ErrorCode.SERVER_UNAVAILABLE && target.equals(se.server())
              ? toOwner(account, req, fromBackup, send).map(r -> withNote(r,
                  "(named server " + target + " is unreachable; sent to the owner " + r.reply().server() + ")"))
              : fromBackup && isUnknownAccount(err)
                  // A deleted account is in no directory, so the named server cannot proxy it; the
                  // servers' backups are asked instead, as when no server is named.
                  ? toOwner(account, req, true, send).map(r -> withNote(r,
                      "(named server " + target + " does not hold " + account + "; sent to " + r.reply().server() + ")"))
                  : Future.failedFuture(err));
    }
    return toOwner(account, req, fromBackup, send);
  }

  private static boolean isUnknownAccount(Throwable err) {
    return err instanceof io.storefleet.protocol.error.StorefleetException se && se.code() == ErrorCode.UNKNOWN_ACCOUNT;
  }

  private static ApiResult withNote(ApiResult r, String note) {
    String text = r.text() == null ? "" : r.text();
    return ApiResult.of(r.reply(), text + (text.endsWith("\n") ? "" : "\n") + note);
  }

  private Future<ApiResult> toOwner(String account, CommandRequest req, boolean fromBackup, Sender send) {
    return directory.locate(account).compose(loc -> {
      if (loc.isEmpty() && fromBackup) {
        return holders.holder(account, req.requester()).compose(server -> liveness.reachable(server)
            .compose(s -> send.apply(server, req))
            .map(r -> withNote(reply(r), "(no server owns " + account + " any more; sent to " + server
                + ", whose backup holds it)")));
      }
      if (loc.isEmpty()) {
        return Future.failedFuture(unknownAccount(account));
      }
      String owner = loc.get().server();
      return liveness.reachable(owner).compose(s -> send.apply(owner, req)).map(this::reply);
    });
  }

  static io.storefleet.protocol.error.StorefleetException unknownAccount(String account) {
    return ErrorCode.UNKNOWN_ACCOUNT.exception(
        "account " + account + " does not exist on any server of the cluster; check the name"
            + " or list accounts with 'storefleet --host all_servers admin listAccounts'");
  }

  /**
   * Where a server command goes when no target is named: the only server if there is one, the
   * one with fewest accounts where the catalogue places new accounts, otherwise the operator must
   * choose.
   */
  private Future<String> defaultServer(CommandSpec spec, Route route) {
    return liveness.servers().compose(servers -> {
      List<ServerInfo> up = servers.stream().filter(s -> Boolean.TRUE.equals(s.reachable())).toList();
      if (servers.size() == 1 && up.size() == 1) {
        return Future.succeededFuture(up.get(0).serverId());
      }
      if (route == Route.FEWEST_ACCOUNTS && !up.isEmpty()) {
        // Count from the account directory, which every create updates before it answers; the
        // server entries' counts are only refreshed periodically.
        return directory.accounts().map(accounts -> {
          java.util.Map<String, Long> load = new java.util.HashMap<>();
          accounts.forEach(a -> load.merge(a.server(), 1L, Long::sum));
          return up.stream()
              .min(Comparator.<ServerInfo>comparingLong(s -> load.getOrDefault(s.serverId(), 0L))
                  .thenComparing(ServerInfo::serverId))
              .get().serverId();
        });
      }
      String names = String.join("|", servers.stream().map(ServerInfo::serverId).toList());
      return Future.failedFuture(ErrorCode.TARGET_REQUIRED.exception(
          spec.name() + " runs on one server: add --host " + (names.isEmpty() ? "<server>" : names)
              + (spec.broadcast() ? " or --host all_servers" : "")));
    });
  }

  private ApiResult reply(CommandReply r) {
    String text = r.text() == null ? "" : r.text();
    if (r.proxied()) {
      text = text + (text.endsWith("\n") ? "" : "\n") + "(proxied from " + r.via() + " to " + r.server() + ")";
    }
    return ApiResult.of(r, withRepeatNote(r, text));
  }

  /** A repeated request id's answer says so, so that a client's retries can be seen. */
  private static String withRepeatNote(CommandReply r, String text) {
    return r.repeated() ? text + (text.endsWith("\n") ? "" : "\n") + REPEAT_NOTE : text;
  }

  static final String REPEAT_NOTE = "(a repeat of this request: the first answer again, not run twice)";

  private ApiResult broadcastResult(BroadcastReply b) {
    StringBuilder sb = new StringBuilder();
    for (ServerResult r : b.results()) {
      sb.append("== ").append(r.server()).append(": ");
      if (r.ok()) {
        String t = withRepeatNote(r.reply(), r.reply().text() == null ? "ok" : r.reply().text());
        sb.append(t.contains("\n") ? "\n" + t : t);
      } else {
        sb.append("FAILED ").append(r.error().code()).append(r.error().definite() ? " (definite)" : " (indefinite)")
            .append(": ").append(r.error().message());
      }
      if (sb.charAt(sb.length() - 1) != '\n') {
        sb.append('\n');
      }
    }
    if (b.failures() > 0) {
      sb.append(b.failures()).append(" of ").append(b.results().size()).append(" server(s) failed\n");
    }
    return ApiResult.of(b, sb.toString());
  }

  private ApiResult tableResult(OperationTable t) {
    StringBuilder sb = new StringBuilder(OperationText.table(t.operations()));
    for (ServerResult r : t.unreachable()) {
      sb.append(r.server()).append(": UNREACHABLE — ").append(r.error().message()).append('\n');
    }
    return ApiResult.of(t, sb.toString());
  }
}
