package io.storefleet.worker.command;

import io.storefleet.fabric.bus.BusErrors;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.address.Addresses;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.catalogue.RoutingRule;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.worker.cluster.ServerLink;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.requests.RequestGuard;
import io.storefleet.worker.store.MailStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Predicate;

/**
 * A worker's front door on the event bus. It checks each request against the catalogue, runs
 * account-routed commands only for accounts its server owns and forwards the others to their
 * owner (one hop: a forwarded request is never forwarded again), queues operations, and answers
 * immediate commands.
 */
public final class CommandEndpoint {
  private final Vertx vertx;
  private final String serverId;
  private final MailStore store;
  private final ClusterDirectory directory;
  private final ServerLink link;
  private final CommandRegistry registry;
  private final OperationQueue queue;
  private final CommandParser parser = new CommandParser();
  private final Predicate<String> inLocalBackup;
  private final RequestGuard requests;
  private MessageConsumer<String> consumer;

  /**
   * @param inLocalBackup whether this server's backup holds an account that no server owns any
   *     more (a deleted one); the commands the catalogue serves from backups run here for such an
   *     account. It may block.
   * @param requests runs each request id at most once on this server
   */
  public CommandEndpoint(
      Vertx vertx,
      String serverId,
      MailStore store,
      ClusterDirectory directory,
      ServerLink link,
      CommandRegistry registry,
      OperationQueue queue,
      Predicate<String> inLocalBackup,
      RequestGuard requests) {
    this.inLocalBackup = inLocalBackup;
    this.requests = requests;
    this.vertx = vertx;
    this.serverId = serverId;
    this.store = store;
    this.directory = directory;
    this.link = link;
    this.registry = registry;
    this.queue = queue;
  }

  /** The commands this endpoint runs. */
  public CommandRegistry registry() {
    return registry;
  }

  /** Starts consuming; completes when the registration has reached the cluster. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.workerCommands(serverId), this::onMessage);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void onMessage(Message<String> msg) {
    Future<CommandReply> reply;
    try {
      CommandRequest req = Json.decode(msg.body(), CommandRequest.class);
      reply = dispatch(req);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(
        ar -> {
          if (ar.succeeded()) {
            msg.reply(Json.encode(ar.result()));
          } else {
            BusErrors.fail(msg, ar.cause(), serverId);
          }
        });
  }

  /** Handles one request here or at its owner. */
  public Future<CommandReply> dispatch(CommandRequest req) {
    Module module = Module.fromWord(req.module());
    if (module == null) {
      throw ErrorCode.MALFORMED_REQUEST.exception(
          "unknown module '" + req.module() + "'; use backup or admin", serverId);
    }
    // The one parse of this request on this server: the values arrive as the operator gave them,
    // and the defaults filled in here are this worker's own.
    ParsedCommand cmd = parser.fromValues(module, req.command(), req.params());
    RequestContext ctx = new RequestContext(req.requester(), req.via(), req.requestId());
    if (!cmd.spec().readOnly()) {
      // A repeat is answered before the account is looked for: the first run may have deleted it.
      java.util.Optional<Future<CommandReply>> repeat = requests.known(ctx.requestId(), cmd.spec().name(),
          cmd.values(), ctx.requester());
      if (repeat.isPresent()) {
        return repeat.get();
      }
    }
    String account = RoutingRule.account(cmd.spec(), cmd.values());
    if (account == null) {
      return execute(cmd, ctx);
    }
    return vertx
        .executeBlocking(() -> store.account(account).isPresent())
        .compose(local -> local ? execute(cmd, ctx) : forward(req, account, cmd, ctx));
  }

  private Future<CommandReply> forward(CommandRequest req, String account, ParsedCommand cmd, RequestContext ctx) {
    if (RoutingRule.servedFromNamedPath(cmd.spec(), cmd.values())) {
      return execute(cmd, ctx);
    }
    return directory
        .locate(account)
        .compose(
            loc -> {
              if (loc.isEmpty() && RoutingRule.servedFromBackup(cmd.spec())) {
                // No server owns it: a deleted account, whose backup (if this server has it) is
                // what the commands that read backups read.
                return vertx.executeBlocking(() -> inLocalBackup.test(account))
                    .compose(known -> known ? execute(cmd, ctx) : Future.failedFuture(unknown(account)));
              }
              if (loc.isEmpty() || loc.get().server().equals(serverId)) {
                return Future.failedFuture(unknown(account));
              }
              String owner = loc.get().server();
              if (req.via() != null) {
                return Future.failedFuture(
                    ErrorCode.PROXY_LOOP.exception(
                        "request for " + account + " was already forwarded by " + req.via()
                            + " but server " + serverId + " does not own it either (owner: " + owner
                            + "); the directory is changing, retry",
                        serverId));
              }
              // A repeat of this request id goes straight to the owner, which keeps its answer.
              Future<Void> placed = req.requestId() == null || cmd.spec().readOnly() ? Future.succeededFuture()
                  : directory.movePlacedRequest(req.requestId(), owner);
              return placed.compose(v -> link.command(owner, req.forwardedBy(serverId)))
                  .map(r -> r.proxiedVia(serverId));
            });
  }

  private static RuntimeException unknown(String account) {
    return ErrorCode.UNKNOWN_ACCOUNT.exception(
        "account " + account + " does not exist on any server of the cluster;"
            + " check the name, or find it with 'storefleet whereis " + account + "'");
  }

  /** Runs the command here, once per request id unless it only reads. */
  private Future<CommandReply> execute(ParsedCommand cmd, RequestContext ctx) {
    CommandSpec spec = cmd.spec();
    if (spec.readOnly()) {
      return run(cmd, ctx);
    }
    // An operation's request id is committed with its first record; an immediate change is
    // logged as started first, so that a crash in the middle is known as such.
    return requests.once(ctx.requestId(), spec.name(), cmd.values(), ctx.requester(),
        spec.queued() ? RequestGuard.Start.IN_ACTION : RequestGuard.Start.LOGGED, () -> run(cmd, ctx));
  }

  private Future<CommandReply> run(ParsedCommand cmd, RequestContext ctx) {
    CommandSpec spec = cmd.spec();
    if (spec.queued()) {
      QueuedCommand q = registry.queued(spec).orElse(null);
      if (q == null) {
        return Future.failedFuture(CommandRegistry.notImplemented(spec, serverId));
      }
      return vertx
          .executeBlocking(
              () -> {
                q.validate(cmd);
                return queue.submit(spec.name(), cmd.values(), ctx.requester(), ctx.via(), ctx.requestId(),
                    op -> q.task(cmd, op));
              })
          // The uuid index only speeds up monitor-by-uuid; the operation is committed either way.
          .compose(op -> directory.putOperation(op.uuid(), serverId).transform(ar -> Future.succeededFuture(accepted(op))));
    }
    ImmediateCommand c = registry.immediate(spec).orElse(null);
    if (c == null) {
      return Future.failedFuture(CommandRegistry.notImplemented(spec, serverId));
    }
    return c.handle(cmd, ctx);
  }

  private CommandReply accepted(Operation op) {
    return accepted(serverId, op);
  }

  /** The answer that accepted an operation. */
  public static CommandReply accepted(String serverId, Operation op) {
    return new CommandReply(
        serverId,
        false,
        null,
        op,
        null,
        op.command() + " queued on " + serverId + " as operation " + op.uuid());
  }
}
