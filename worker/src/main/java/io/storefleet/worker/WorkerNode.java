package io.storefleet.worker;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.fabric.metrics.NodeMetrics;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.shares.ShareSurvey;
import io.storefleet.worker.access.AccessEndpoint;
import io.storefleet.worker.access.AuditLog;
import io.storefleet.worker.access.TokenLog;
import io.storefleet.worker.access.TokenSync;
import io.storefleet.worker.admin.ShareResolver;
import io.storefleet.worker.admin.StoreAdminCommands;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.BackupContext;
import io.storefleet.worker.backup.command.BackupOperations;
import io.storefleet.worker.backup.command.BackupQueries;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.cluster.AskTimeout;
import io.storefleet.worker.cluster.BusClusterPeers;
import io.storefleet.worker.cluster.ClusterWait;
import io.storefleet.worker.cluster.DirectoryAccounts;
import io.storefleet.worker.cluster.LinkShareServers;
import io.storefleet.worker.cluster.OwnerShares;
import io.storefleet.worker.cluster.ServerLink;
import io.storefleet.worker.command.CommandEndpoint;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.config.WorkerConfig;
import io.storefleet.worker.directory.DirectorySync;
import io.storefleet.worker.directory.HealthReports;
import io.storefleet.worker.export.ExportOperations;
import io.storefleet.worker.imports.ImportOperations;
import io.storefleet.worker.metrics.NotificationMetrics;
import io.storefleet.worker.metrics.WorkerMetrics;
import io.storefleet.worker.ops.OperationEvents;
import io.storefleet.worker.ops.QueueCommands;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.requests.RequestGuard;
import io.storefleet.worker.requests.RequestLog;
import io.storefleet.worker.requests.Retention;
import io.storefleet.worker.notify.Backoff;
import io.storefleet.worker.notify.BusDigestPeers;
import io.storefleet.worker.notify.DigestBook;
import io.storefleet.worker.notify.DigestEndpoint;
import io.storefleet.worker.notify.DeliveryObserver;
import io.storefleet.worker.notify.MailSender;
import io.storefleet.worker.notify.NoticeDelivery;
import io.storefleet.worker.notify.NoticeSettings;
import io.storefleet.worker.notify.RoutedNotices;
import io.storefleet.worker.notify.WebhookSender;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.queue.RatePacer;
import io.storefleet.worker.restore.RestoreCommands;
import io.storefleet.worker.restore.RestoreContext;
import io.storefleet.worker.restore.raw.RawRestoreCommands;
import io.storefleet.worker.offsite.OffsiteCopy;
import io.storefleet.worker.offsite.OffsiteOperations;
import io.storefleet.worker.service.BackupProperties;
import io.storefleet.worker.service.PropertyScope;
import io.storefleet.worker.service.ScanScheduler;
import io.storefleet.worker.service.ServiceCommands;
import io.storefleet.worker.service.Submitter;
import io.storefleet.worker.service.WorkerServices;
import io.storefleet.worker.shares.ShareCommands;
import io.storefleet.worker.shares.ShareEndpoint;
import io.storefleet.worker.shares.ShareService;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.imap.BackupIds;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One worker: the store, the backup path, the queue and the event-bus endpoint of one mailbox
 * server, wired together and started on a clustered Vert.x.
 */
public final class WorkerNode {
  private static final long DIRECTORY_REFRESH_MILLIS = 30_000;

  private final Vertx vertx;
  private final MailStore store;
  private final OperationQueue queue;
  private final RequestLog requests;
  private final CommandEndpoint endpoint;
  private final ShareEndpoint shareEndpoint;
  private final DirectorySync sync;
  private final Backup backup;
  private final Access access;

  /** Tokens and the audit trail kept on this worker's disk, and their endpoint and map sync. */
  private record Access(TokenLog tokens, AuditLog audit, AccessEndpoint endpoint, TokenSync sync) {
    void close() throws IOException {
      tokens.close();
      audit.close();
    }
  }

  /** The backup side of the worker, closed in reverse order of opening. */
  private record Backup(BackupProperties props, BackupEngine engine, RealtimeScanner realtime,
      ScanScheduler scheduler, WorkerServices services, WorkerMetrics metrics, NoticeDelivery notices,
      DigestEndpoint digest) {
    void close() throws IOException {
      notices.close();
      metrics.close();
      services.stopAll();
      realtime.close();
      scheduler.close();
      engine.close();
      props.close();
    }
  }

  private WorkerNode(Vertx vertx, MailStore store, OperationQueue queue, RequestLog requests,
      CommandEndpoint endpoint, ShareEndpoint shareEndpoint, DirectorySync sync, Backup backup, Access access) {
    this.vertx = vertx;
    this.store = store;
    this.queue = queue;
    this.requests = requests;
    this.endpoint = endpoint;
    this.shareEndpoint = shareEndpoint;
    this.sync = sync;
    this.backup = backup;
    this.access = access;
  }

  /**
   * Opens the worker's files, recovers its queue, and starts serving.
   *
   * @param nodeId this process's cluster member id
   * @param pacer null for the configured rate limit
   */
  public static Future<WorkerNode> start(
      Vertx vertx, String nodeId, WorkerConfig config, Clock clock, Pacer pacer) {
    return start(vertx, nodeId, config, clock, pacer, new NodeMetrics());
  }

  /**
   * As {@link #start(Vertx, String, WorkerConfig, Clock, Pacer)}, recording the worker's metrics
   * in {@code metrics} (its cluster node's, which Vert.x reports into too).
   */
  public static Future<WorkerNode> start(
      Vertx vertx, String nodeId, WorkerConfig config, Clock clock, Pacer pacer, NodeMetrics metrics) {
    return vertx
        .executeBlocking(() -> open(vertx, nodeId, config, clock, pacer, metrics))
        .compose(node -> node.endpoint.start()
            .compose(v -> node.shareEndpoint.start())
            .compose(v -> node.access.endpoint().start())
            .compose(v -> node.backup.digest().start())
            .compose(v -> node.access.sync().start(DIRECTORY_REFRESH_MILLIS))
            .compose(v -> node.sync.start(DIRECTORY_REFRESH_MILLIS))
            .compose(v -> vertx.executeBlocking(() -> {
              node.queue.start();
              node.backup.notices().start();
              node.backup.services().startEnabled();
              node.backup.metrics().start();
              return node;
            })));
  }

  private static WorkerNode open(Vertx vertx, String nodeId, WorkerConfig config, Clock clock, Pacer pacer,
      NodeMetrics nodeMetrics) throws IOException {
    String serverId = config.serverId();
    MailStore store = StoreConfig.IMAP.equals(config.store().kind())
        ? ImapMailStore.open(config.store().imap(), config.storeDir(), clock)
        : LocalMailStore.open(config.storeDir(), clock);
    BackupProperties props = BackupProperties.open(config.dataDir().resolve("backup-properties.log"),
        config.backupPath(), clock);
    BackupEngine engine = BackupEngine.open(BackupPath.openOwn(config.backupPath(), serverId), props::bloblessMode);
    ClusterDirectory directory = new ClusterDirectory(vertx);
    AskTimeout timeout = AskTimeout.of(config.requestTimeout());
    ServerLink link = new ServerLink(vertx, timeout);
    ClusterWait wait = new ClusterWait(timeout, serverId);
    AccountDirectory accounts = new DirectoryAccounts(directory, wait);
    CommandRegistry registry = new CommandRegistry();
    Replies replies = new Replies(serverId);
    Pacer effectivePacer = pacer != null ? pacer
        : config.maxItemsPerSecond() > 0 ? new RatePacer(config.maxItemsPerSecond(), clock) : Pacer.NONE;
    RealtimeScanner realtime = new RealtimeScanner(store, engine, clock);
    WorkerMetrics metrics = new WorkerMetrics(nodeMetrics, serverId, engine, realtime, store, clock);
    OperationLog operations = OperationLog.open(config.operationLog());
    RequestLog requests = RequestLog.open(config.requestLog(), clock, Retention.DEFAULT, serverId,
        operations.recovered(), op -> CommandEndpoint.accepted(serverId, op));
    Supplier<NoticeSettings> noticeSettings = () -> NoticeSettings.of(props);
    NoticeDelivery notices = new NoticeDelivery(serverId, clock, noticeSettings, Backoff.DEFAULT, new MailSender(),
        new WebhookSender(clock), (channel, result) -> metrics.notifications().delivered(
            NotificationMetrics.Channel.valueOf(channel.toUpperCase(Locale.ROOT)),
            NotificationMetrics.Result.valueOf(result.name())));
    OperationQueue queue = new OperationQueue(
        serverId,
        operations,
        clock,
        op -> registry.task(op, serverId),
        effectivePacer,
        new OperationEvents(vertx, clock, 250).andThen(metrics.operations()),
        new RoutedNotices(noticeSettings, notices::wake));
    metrics.operations().recovered(queue.list(true));
    DigestBook digestBook = notices.book(queue);
    notices.attach(queue, new BusDigestPeers(digestBook, clock, directory, link, wait));
    DigestEndpoint digestEndpoint = new DigestEndpoint(vertx, digestBook, clock, noticeSettings);
    CommandEndpoint endpoint = new CommandEndpoint(vertx, serverId, store, directory, link, registry, queue,
        account -> inBackup(engine, account), new RequestGuard(vertx, serverId, requests, clock));
    QueueCommands.register(registry, vertx, queue, replies);
    Submitter submitter = cmd -> queue.submit(cmd.name(), cmd.values(), "storefleet", null,
        registry.taskOf(cmd, serverId)).uuid();
    if (store instanceof ImapMailStore imap) {
      imap.recoverFrom(new BackupIds(engine, realtime.cursor()));
      imap.startChangeFeed();
    }
    ScanScheduler scheduler = ScanScheduler.open(config.dataDir().resolve("scheduler.log"), props, clock, submitter);
    WorkerServices services = new WorkerServices(serverId, props, clock, List.of(realtime, scheduler));
    ServiceCommands.register(registry, vertx, replies, props, services, submitter);
    LocalBackup local = new LocalBackup(serverId, store, engine, new PathPolicy(config.allowedRoots(), serverId));
    BackupContext backupContext = new BackupContext(local, clock, props::retentionDays, submitter, realtime,
        () -> serverConfig(config, store, props, clock), () -> clusterState(directory, wait, clock),
        customizationFiles());
    OffsiteOperations offsite = new OffsiteOperations(local,
        OffsiteCopy.of(serverId, props, config.dataDir(), clock));
    offsite.register(registry);
    BackupOperations.register(registry, backupContext, offsite);
    ExportOperations.register(registry, local, accounts);
    ImportOperations.register(registry, local, accounts, offsite);
    new BackupQueries(vertx, replies, backupContext, offsite).register(registry);
    RestoreCommands.register(registry, vertx, replies, new RestoreContext(local, clock, realtime,
        account -> BackupOperations.scan(backupContext, account, false), accounts,
        new OwnerShares(directory, link, wait)), offsite);
    new StoreAdminCommands(vertx, serverId, store, directory,
        new PathPolicy(config.allowedRoots(), serverId), replies,
        new ShareResolver(directory, link))
        .register(registry);
    ShareService shares = new ShareService(serverId, store, config.backupPath());
    ShareSurvey survey = new ShareSurvey(new LinkShareServers(directory, link, wait));
    new ShareCommands(vertx, replies, shares, survey, new PathPolicy(config.allowedRoots(), serverId))
        .register(registry);
    metrics.reportTo(new HealthReports(directory, serverId));
    DirectorySync sync = new DirectorySync(
        vertx, directory, store, serverId, nodeId, config.backupPath().toString(), clock,
        () -> queue.list(true).stream().map(Operation::uuid).toList());
    RawRestoreCommands.register(registry, local, realtime, new BusClusterPeers(directory, link, wait, sync::publish),
        offsite);
    TokenLog tokens = TokenLog.open(config.dataDir().resolve("tokens.log"));
    AuditLog audit = AuditLog.open(config.dataDir().resolve("audit.log"));
    Access access = new Access(tokens, audit, new AccessEndpoint(vertx, serverId, tokens, audit),
        new TokenSync(vertx, directory, tokens));
    return new WorkerNode(vertx, store, queue, requests, endpoint, new ShareEndpoint(vertx, shares), sync,
        new Backup(props, engine, realtime, scheduler, services, metrics, notices, digestEndpoint), access);
  }

  private static boolean inBackup(BackupEngine engine, String account) {
    try {
      return new BackupHistoryReader(engine).findAccount(account).isPresent();
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("the backup path could not be read to find " + account + ": " + e.getMessage());
    }
  }

  private static ServerConfigSnapshot serverConfig(WorkerConfig config, MailStore store, BackupProperties props,
      Clock clock) {
    Map<String, String> server = new LinkedHashMap<>();
    server.put("serverId", config.serverId());
    server.put("store", store.kind());
    server.put("dataDir", config.dataDir().toString());
    server.put("backupPath", config.backupPath().toString());
    server.put("allowedRoots", config.allowedRoots().toString());
    server.put("maxItemsPerSecond", Double.toString(config.maxItemsPerSecond()));
    server.put("requestTimeoutSeconds", Long.toString(config.requestTimeout().toSeconds()));
    server.put("clusterName", config.cluster().clusterName());
    Map<String, String> effective = new LinkedHashMap<>();
    Map<String, String> global = new LinkedHashMap<>();
    props.all().forEach((name, v) -> {
      effective.put(name, v.value());
      if (v.valueAt(PropertyScope.GLOBAL) != null) {
        global.put(name, v.valueAt(PropertyScope.GLOBAL));
      }
    });
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections.put("serverConfig", server);
    sections.put("backupProperties", effective);
    sections.put("globalConfig", global);
    return new ServerConfigSnapshot(sections, clock.instant());
  }

  /** Read on the queue's thread, which may wait for the cluster map. */
  private static Object clusterState(ClusterDirectory directory, ClusterWait wait, Clock clock) {
    List<?> servers = wait.directory(directory.servers());
    return Map.of("by", wait.serverId(), "at", clock.instant().toString(), "servers", servers);
  }

  private static List<java.nio.file.Path> customizationFiles() {
    List<java.nio.file.Path> files = new ArrayList<>();
    for (String key : List.of("storefleet.configFile", "java.util.logging.config.file")) {
      String v = System.getProperty(key);
      if (v != null && !v.isBlank()) {
        files.add(java.nio.file.Path.of(v));
      }
    }
    return files;
  }

  /** The commands this worker has built, keyed by their catalogue entries. */
  public CommandRegistry commands() {
    return endpoint.registry();
  }

  /** The worker's meters, e.g. for whatever delivers notifications ({@link WorkerMetrics#notifications()}). */
  public WorkerMetrics metrics() {
    return backup.metrics();
  }

  /** The server's mail store, for tests that set up what an import would leave behind. */
  public MailStore store() {
    return store;
  }

  /**
   * Publishes this server, its accounts and operations to the directory now, as after a merge
   * back into the cluster, when the entries it finds may be another side's or gone.
   */
  public Future<Void> republish() {
    return sync.publish();
  }

  /** Stops serving and closes the queue and the store; a running operation ends INTERRUPTED on disk. */
  public Future<Void> stop() {
    sync.stop();
    access.sync().stop();
    return endpoint.stop()
        .compose(v -> shareEndpoint.stop())
        .compose(v -> access.endpoint().stop())
        .compose(v -> backup.digest().stop())
        .compose(v -> vertx.executeBlocking(() -> {
          backup.notices().close(); // before the queue: it writes delivery states to the queue's log
          queue.close();
          requests.close();
          backup.close();
          access.close();
          store.close();
          return null;
        }));
  }
}
