package io.storefleet.worker.restore;

import static org.awaitility.Awaitility.await;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.BackupContext;
import io.storefleet.worker.backup.command.BackupOperations;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.command.RequestContext;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.NoOffsiteCopy;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One worker's restore side without a cluster: a store (optionally behind a decorator), its
 * backup engine and real-time scanner, and a queue that runs the registered backup and restore
 * commands exactly as a worker does (parse, validate, queue, run).
 */
final class RestoreFixture implements AutoCloseable {
  final MutableClock clock = MutableClock.atEpoch2026();
  final LocalMailStore local;
  final MailStore store;
  final BackupEngine engine;
  final RealtimeScanner realtime;
  final OperationQueue queue;
  final CommandRegistry registry = new CommandRegistry();
  final CommandParser parser = new CommandParser();
  final Vertx vertx = Vertx.vertx();
  final BackupContext backup;
  volatile boolean blobless;

  RestoreFixture(Path dir) throws Exception {
    this(dir, Pacer.NONE, UnaryOperator.identity(), RemoteShares.NONE);
  }

  RestoreFixture(Path dir, Pacer pacer, UnaryOperator<MailStore> decorate, RemoteShares remote) throws Exception {
    this(dir, dir.resolve("store"), dir.resolve("backup"), pacer, decorate, remote);
  }

  /** A fixture whose store and backup path lie where the test says (on a small file system, say). */
  RestoreFixture(Path dir, Path storeDir, Path backupDir) throws Exception {
    this(dir, storeDir, backupDir, Pacer.NONE, UnaryOperator.identity(), RemoteShares.NONE);
  }

  private RestoreFixture(Path dir, Path storeDir, Path backupDir, Pacer pacer, UnaryOperator<MailStore> decorate,
      RemoteShares remote) throws Exception {
    local = LocalMailStore.open(storeDir, clock);
    store = decorate.apply(local);
    engine = BackupEngine.open(BackupPath.open(backupDir, "mbox1"), () -> blobless);
    realtime = new RealtimeScanner(store, engine, clock);
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock, this::task, pacer, op -> {});
    LocalBackup own = new LocalBackup("mbox1", store, engine, new PathPolicy(List.of(dir), "mbox1"));
    backup = new BackupContext(own, clock, () -> 0,
        cmd -> queue.submit(cmd.name(), cmd.values(), "storefleet", null, registry.taskOf(cmd, "mbox1")).uuid(), realtime,
        () -> new ServerConfigSnapshot(Map.of("serverConfig", Map.of("store", store.kind())), clock.instant()),
        () -> Map.of(), List.of());
    RemoteCopy noCopy = NoOffsiteCopy.of(own, dir.resolve("data"), clock);
    BackupOperations.register(registry, backup, noCopy);
    RestoreCommands.register(registry, vertx, new Replies("mbox1"),
        new RestoreContext(own, clock, realtime, account -> BackupOperations.scan(backup, account, false),
            AccountDirectory.NONE, remote), noCopy);
    queue.start();
  }

  private OperationTask task(Operation op) {
    ParsedCommand cmd = parser.fromValues(Module.BACKUP, op.command(), op.params());
    return registry.queued(cmd.spec()).orElseThrow().task(cmd, op);
  }

  /** Parses, validates and queues a command typed as on the CLI; returns its uuid. */
  String submit(String... tokens) {
    ParsedCommand cmd = parser.parse(Module.BACKUP, List.of(tokens));
    registry.queued(cmd.spec()).orElseThrow().validate(cmd);
    return queue.submit(cmd.name(), cmd.values(), "test", null).uuid();
  }

  Operation end(String uuid) {
    return end(uuid, Duration.ofSeconds(120));
  }

  private Operation end(String uuid, Duration wait) {
    await().atMost(wait).until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return queue.get(uuid).orElseThrow();
  }

  /** Runs a queued command to its end. */
  Operation run(String... tokens) {
    return end(submit(tokens));
  }

  /** The same for a long one (a whole corpus), waiting at most {@code wait}. */
  Operation run(Duration wait, String... tokens) {
    return end(submit(tokens), wait);
  }

  /** Answers an immediate command. */
  CommandReply ask(String... tokens) {
    ParsedCommand cmd = parser.parse(Module.BACKUP, List.of(tokens));
    return registry.immediate(cmd.spec()).orElseThrow().handle(cmd, new RequestContext("test", null)).await();
  }

  /** Records the journal into the backup now, as the real-time scanner does. */
  void record() throws Exception {
    realtime.catchUp();
  }

  Account account(String name) {
    return local.createAccount(name, null, Map.of());
  }

  static byte[] message(String subject, String body) {
    return ("From: alice@example.com\r\nTo: bob@example.com\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  List<io.storefleet.worker.store.Item> deliver(Account a, int folderId, String... subjects) {
    List<byte[]> raws = java.util.Arrays.stream(subjects).map(s -> message(s, "body of " + s)).toList();
    return local.addMessages(a.id(), folderId, raws, Set.of(), Set.of());
  }

  List<io.storefleet.worker.store.Item> deliver(Account a, String... subjects) {
    return deliver(a, Folder.INBOX, subjects);
  }

  @Override
  public void close() throws Exception {
    queue.close();
    realtime.close();
    engine.close();
    store.close();
    vertx.close().await();
  }
}
