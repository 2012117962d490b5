package io.storefleet.worker.restore.raw;

import static org.awaitility.Awaitility.await;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.backup.command.BackupContext;
import io.storefleet.worker.backup.command.BackupOperations;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.imports.ImportOperations;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.restore.RestoreCommands;
import io.storefleet.worker.restore.RestoreContext;
import io.vertx.core.Vertx;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.offsite.OffsiteCopy;
import io.storefleet.worker.offsite.OffsiteOperations;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.NoOffsiteCopy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One server of the tests: its store, its backup path with engine and real-time scanner, and a
 * queue running the real command registry (backup operations and the raw-restore commands). A
 * disaster is {@link #replaceStore}: the store is gone, the backup path stays.
 */
final class DrFixture implements AutoCloseable {
  final Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final FakePeers peers = new FakePeers();
  final CommandParser parser = new CommandParser();
  Path backupPath;
  LocalMailStore local;
  MailStore store;
  BackupEngine engine;
  RealtimeScanner realtime;
  OperationQueue queue;
  CommandRegistry registry;
  private final OffsiteCopy offsite;
  /** Only where an off-site copy is configured: the account restores, which read it too. */
  private Vertx vertx;
  private int generation;

  DrFixture(Path dir) throws Exception {
    this(dir, null);
  }

  /** A server whose commands include the off-site copy's (null: none configured). */
  DrFixture(Path dir, OffsiteCopy offsite) throws Exception {
    this(dir, offsite, UnaryOperator.identity());
  }

  /** A server whose store is another kind from the start: {@code store} gets the embedded one it replaces. */
  DrFixture(Path dir, OffsiteCopy offsite, UnaryOperator<MailStore> store) throws Exception {
    this.dir = dir;
    this.backupPath = dir.resolve("backup");
    this.offsite = offsite;
    open(store);
  }

  /** The disaster: the store is lost; a new, empty one takes its place beside the same backup path. */
  void replaceStore() throws Exception {
    replaceStore(UnaryOperator.identity());
  }

  void replaceStore(UnaryOperator<MailStore> wrap) throws Exception {
    shutDown();
    generation++;
    open(wrap);
  }

  /** This server gets a new, empty backup path of its own (the old one stays where it is). */
  void useNewBackupPath(String name) throws Exception {
    shutDown();
    backupPath = dir.resolve(name);
    generation++;
    open(UnaryOperator.identity());
  }

  private void open(UnaryOperator<MailStore> wrap) throws Exception {
    local = LocalMailStore.open(dir.resolve("store" + generation), clock);
    store = wrap.apply(local);
    engine = BackupEngine.open(BackupPath.open(backupPath, "mbox1"), () -> false);
    realtime = new RealtimeScanner(store, engine, clock);
    realtime.start();
    registry = new CommandRegistry();
    LocalBackup local = new LocalBackup("mbox1", store, engine, new PathPolicy(List.of(dir), "mbox1"));
    BackupContext ctx = new BackupContext(local, clock, () -> 30, cmd -> "not-queued", realtime,
        () -> new ServerConfigSnapshot(Map.of("serverConfig", Map.of("serverId", "mbox1")), clock.instant()),
        () -> Map.of(), List.of());
    RemoteCopy remote;
    if (offsite == null) {
      remote = NoOffsiteCopy.of(local, dir.resolve("offsite-none"), clock);
    } else {
      OffsiteOperations ops = new OffsiteOperations(local, offsite);
      ops.register(registry);
      remote = ops;
      if (vertx == null) {
        vertx = Vertx.vertx();
      }
      RestoreCommands.register(registry, vertx, new Replies("mbox1"), new RestoreContext(local, clock, realtime,
          account -> BackupOperations.scan(ctx, account, false), AccountDirectory.NONE, RemoteShares.NONE), remote);
    }
    BackupOperations.register(registry, ctx, remote);
    RawRestoreCommands.register(registry, local, realtime, peers, remote);
    ImportOperations.register(registry, local, AccountDirectory.NONE, remote);
    io.storefleet.worker.export.ExportOperations.register(registry, local, AccountDirectory.NONE);
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops" + generation + ".log")), clock,
        this::task, Pacer.NONE, op -> {});
    queue.start();
  }

  private OperationTask task(Operation op) {
    ParsedCommand cmd = parser.fromValues(Module.BACKUP, op.command(), op.params());
    return registry.queued(cmd.spec()).orElseThrow().task(cmd, op);
  }

  /** Validates, queues and waits for a backup command typed as on the CLI. */
  Operation run(String... args) {
    ParsedCommand cmd = parser.parse(Module.BACKUP, Arrays.asList(args));
    registry.queued(cmd.spec()).orElseThrow().validate(cmd);
    String uuid = queue.submit(cmd.name(), cmd.values(), "test", null).uuid();
    await().atMost(Duration.ofSeconds(120)).until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return queue.get(uuid).orElseThrow();
  }

  private void shutDown() throws Exception {
    queue.close();
    realtime.close();
    engine.close();
    store.close();
  }

  @Override
  public void close() throws Exception {
    shutDown();
    for (MailStore s : peers.servers.values()) {
      s.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }
}
