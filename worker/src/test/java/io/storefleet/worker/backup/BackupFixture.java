package io.storefleet.worker.backup;

import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.backup.maintenance.CoherencyCheckTask;
import io.storefleet.worker.backup.maintenance.PurgeTask;
import io.storefleet.worker.backup.scan.RealtimeScanner;
import io.storefleet.worker.backup.scan.ScanTask;

import static org.awaitility.Awaitility.await;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store, its backup engine and a queue that runs the backup tasks, in one folder. */
public final class BackupFixture implements AutoCloseable {
  public final Path dir;
  public final MutableClock clock = MutableClock.atEpoch2026();
  public final LocalMailStore store;
  public BackupEngine engine;
  public RealtimeScanner realtime;
  public final OperationQueue queue;
  public volatile boolean blobless;
  public final List<String> corruptionReports = new CopyOnWriteArrayList<>();

  public BackupFixture(Path dir) throws Exception {
    this.dir = dir;
    store = LocalMailStore.open(dir.resolve("store"), clock);
    openEngine();
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock, this::task, Pacer.NONE,
        op -> {});
    queue.start();
  }

  public void openEngine() throws Exception {
    engine = BackupEngine.open(BackupPath.open(dir.resolve("backup"), "mbox1"), () -> blobless);
    realtime = new RealtimeScanner(store, engine, clock);
  }

  public void reopenEngine() throws Exception {
    realtime.close();
    engine.close();
    openEngine();
  }

  private io.storefleet.worker.queue.OperationTask task(Operation op) {
    Map<String, String> p = op.params();
    boolean deep = "true".equals(p.get("deep"));
    return switch (op.command()) {
      case "doSmartScan" -> new ScanTask(store, engine, null, deep,
          () -> new ServerConfigSnapshot(Map.of("serverConfig", Map.of("serverId", "mbox1")), clock.instant()),
          corruptionReports::add);
      case "doAccountScan" -> new ScanTask(store, engine, p.get("account"), deep, null, corruptionReports::add);
      case "doPurge" -> new PurgeTask(engine, Integer.parseInt(p.get("purgeDays")));
      case "doCoherencyCheck" -> new CoherencyCheckTask(engine, null, "true".equals(p.get("fixBackup")));
      default -> throw new IllegalArgumentException(op.command());
    };
  }

  public Operation run(String command, Map<String, String> params) {
    String uuid = queue.submit(command, params, "test", null).uuid();
    await().atMost(Duration.ofSeconds(60)).until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return queue.get(uuid).orElseThrow();
  }

  public Operation smartScan() {
    return run("doSmartScan", Map.of());
  }

  public Account account(String name) {
    return store.createAccount(name, null, Map.of());
  }

  public static byte[] message(String subject, String body) {
    return ("From: a@example.com\r\nTo: b@example.com\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  public void deliver(Account a, int n, String prefix) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mail.add(message(prefix + i, "body of " + prefix + i));
    }
    store.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
  }

  @Override
  public void close() throws Exception {
    queue.close();
    realtime.close();
    engine.close();
    store.close();
  }
}
