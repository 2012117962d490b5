package io.storefleet.worker;

import io.storefleet.fabric.bus.WorkerClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.worker.admin.ShareResolver;
import io.storefleet.worker.admin.StoreAdminCommands;
import io.storefleet.worker.backup.BackupPath;
import io.storefleet.worker.backup.ScanCommands;
import io.storefleet.worker.command.CommandEndpoint;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.config.WorkerConfig;
import io.storefleet.worker.directory.DirectorySync;
import io.storefleet.worker.ops.OperationEvents;
import io.storefleet.worker.ops.QueueCommands;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.queue.RatePacer;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One worker: the store, the backup path, the queue and the event-bus endpoint of one mailbox
 * server, wired together and started on a clustered Vert.x.
 */
public final class WorkerNode {
  private static final long DIRECTORY_REFRESH_MILLIS = 30_000;

  private final Vertx vertx;
  private final MailStore store;
  private final OperationQueue queue;
  private final CommandEndpoint endpoint;
  private final DirectorySync sync;

  private WorkerNode(Vertx vertx, MailStore store, OperationQueue queue,
      CommandEndpoint endpoint, DirectorySync sync) {
    this.vertx = vertx;
    this.store = store;
    this.queue = queue;
    this.endpoint = endpoint;
    this.sync = sync;
  }

  /**
   * Opens the worker's files, recovers its queue, and starts serving.
   *
   * @param nodeId this process's cluster member id
   * @param pacer null for the configured rate limit
   */
  public static Future<WorkerNode> start(
      Vertx vertx, String nodeId, WorkerConfig config, Clock clock, Pacer pacer) {
    return vertx
        .executeBlocking(() -> open(vertx, nodeId, config, clock, pacer))
        .compose(node -> node.endpoint.start()
            .compose(v -> node.sync.start(DIRECTORY_REFRESH_MILLIS))
            .map(v -> {
              node.queue.start();
              return node;
            }));
  }

  private static WorkerNode open(Vertx vertx, String nodeId, WorkerConfig config, Clock clock, Pacer pacer)
      throws IOException {
    String serverId = config.serverId();
    MailStore store = LocalMailStore.open(config.storeDir(), clock);
    BackupPath backup = BackupPath.open(config.backupPath(), serverId);
    ClusterDirectory directory = new ClusterDirectory(vertx);
    WorkerClient client = new WorkerClient(vertx, config.requestTimeout());
    CommandRegistry registry = new CommandRegistry();
    Replies replies = new Replies(serverId);
    CommandParser parser = new CommandParser(Catalogue.get());
    Pacer effectivePacer = pacer != null ? pacer
        : config.maxItemsPerSecond() > 0 ? new RatePacer(config.maxItemsPerSecond(), clock) : Pacer.NONE;
    OperationQueue queue = new OperationQueue(
        serverId,
        OperationLog.open(config.operationLog()),
        clock,
        op -> task(registry, parser, op, serverId),
        effectivePacer,
        new OperationEvents(vertx, clock, 250));
    AtomicReference<CommandEndpoint> endpointRef = new AtomicReference<>();
    CommandEndpoint endpoint = new CommandEndpoint(vertx, serverId, store, directory, client, registry, queue);
    endpointRef.set(endpoint);
    QueueCommands.register(registry, vertx, queue, replies);
    ScanCommands.register(registry, store, backup, serverId);
    new StoreAdminCommands(vertx, serverId, store, directory,
        new PathPolicy(config.allowedRoots(), serverId), replies,
        new ShareResolver(directory, req -> endpointRef.get().dispatch(req)))
        .register(registry);
    DirectorySync sync = new DirectorySync(
        vertx, directory, store, serverId, nodeId, config.backupPath().toString(), clock,
        () -> queue.list(true).stream().map(Operation::uuid).toList());
    return new WorkerNode(vertx, store, queue, endpoint, sync);
  }

  private static OperationTask task(CommandRegistry registry, CommandParser parser, Operation op, String serverId) {
    var cmd = parser.fromValues(Module.BACKUP, op.command(), op.params());
    return registry.queued(cmd.spec())
        .orElseThrow(() -> ErrorCode.NOT_IMPLEMENTED.exception(op.command() + " is not implemented", serverId))
        .task(cmd, op);
  }

  /** Stops serving and closes the queue and the store; a running operation ends INTERRUPTED on disk. */
  public Future<Void> stop() {
    sync.stop();
    return endpoint.stop()
        .compose(v -> vertx.executeBlocking(() -> {
          queue.close();
          store.close();
          return null;
        }));
  }
}
