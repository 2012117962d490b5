package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.BackupRecords;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.PathLock;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.local.LocalMailStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL again and again in the middle of SmartScans: after every
 * restart the coherency check passes and every record that was on disk before the kill is still
 * there. CI kills it 4 times; {@code deploy/bench/sigkill-scans.sh} 20 times
 * ({@code -Dstorefleet.crash.kills}), writing each round's figures to {@code storefleet.crash.report}.
 */
@Tag("cluster")
class BackupCrashIT {
  private static final int ACCOUNTS = 30;
  private static final int MESSAGES = 70;
  private static final int KILLS = Integer.getInteger("storefleet.crash.kills", 4);
  // An incremental SmartScan of this data set compares its items faster than the progress is
  // polled, so a kill aimed at one usually lands after it ended; the benchmark asks for deep
  // scans only, so that every kill it counts hits a running scan.
  private static final boolean DEEP_ONLY = Boolean.getBoolean("storefleet.crash.deepOnly");

  @TempDir Path root;

  @Test
  void repeatedSigkillsDuringSmartScansLoseNothingCommitted() throws Exception {
    Path data = root.resolve("mboxc");
    seed(data.resolve("store"));
    Path backup = data.resolve("backup");
    try (TestCluster cluster = TestCluster.start(root, 0, 1)) {
      Api api = cluster.api();
      Set<String> committed = new HashSet<>();
      int midScan = 0;
      Random random = new Random(Long.getLong("storefleet.crash.seed", 42));
      CrashReport report = new CrashReport(System.getProperty("storefleet.crash.report"));
      for (int round = 0; round <= KILLS; round++) {
        long startedAt = System.nanoTime();
        try (WorkerProcess p = WorkerProcess.start("mboxc", data, root, cluster.settings(), 2000,
            root.resolve("crash-" + round + ".log"))) {
          await().atMost(Duration.ofSeconds(60)).until(() -> api.backup("mboxc", "getServices").status() == 200);
          long servingMs = (System.nanoTime() - startedAt) / 1_000_000;
          long checkMs = 0;
          if (round == 0) {
            // The live worker's path is locked against a second engine, here one in another process.
            StorefleetException busy = assertThrows(StorefleetException.class,
                () -> BackupEngine.open(BackupPath.openExisting(backup, "test"), () -> true));
            assertTrue(busy.getMessage().contains("backup of server mboxc, opened by process " + p.pid()),
                busy.getMessage());
            // The SmartScan does the writing here; the scanner is proven elsewhere.
            api.backup("mboxc", "setProperty", "ZxBackup_RealTimeScanner", "false").result();
          } else {
            long checkStarted = System.nanoTime();
            Operation check = finish(api, api.backup("mboxc", "doCoherencyCheck", backup.toString())
                .result().reply().operation());
            checkMs = (System.nanoTime() - checkStarted) / 1_000_000;
            assertEquals(OperationState.SUCCEEDED, check.state(), "round " + round + ": " + check.error());
            Set<String> now = BackupRecords.of(backup);
            Set<String> lost = new HashSet<>(committed);
            lost.removeAll(now);
            assertEquals(Set.of(), lost, "round " + round + ": records on disk before the kill are gone");
            report.round(round, servingMs, checkMs, committed.size(), lost.size());
            Path more = Messages.folder(root.resolve("more" + round), "r" + round, 40);
            api.admin(null, "injectMessages", "user" + random.nextInt(ACCOUNTS) + "@crash.test", more.toString())
                .result();
          }
          if (round == KILLS) {
            Operation last = finish(api, api.backup("mboxc", "doSmartScan").result().reply().operation());
            assertEquals(OperationState.SUCCEEDED, last.state(), String.valueOf(last.error()));
            Operation check = finish(api, api.backup("mboxc", "doCoherencyCheck", backup.toString())
                .result().reply().operation());
            assertEquals(OperationState.SUCCEEDED, check.state(), String.valueOf(check.error()));
            assertTrue(BackupRecords.of(backup).containsAll(committed));
            break;
          }
          Operation scan = api.backup("mboxc", "doSmartScan", "deep", DEEP_ONLY || round % 2 == 1 ? "true" : "false")
              .result().reply().operation();
          long killAt = 50 + random.nextInt(600);
          await().atMost(Duration.ofSeconds(60)).until(() -> {
            Operation op = api.operation(scan.uuid());
            return op.state().terminal() || op.progress().done() >= killAt;
          });
          committed.addAll(BackupRecords.of(backup));
          boolean running = api.operation(scan.uuid()).state() == OperationState.RUNNING;
          p.kill();
          midScan += running ? 1 : 0;
          report.kill(round, running, committed.size());
        }
        // Wait until the cluster has noticed the death before the same server id joins again.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          Api.Answer a = api.backup("mboxc", "getServices");
          return a.status() != 200 && !a.error().code().equals("SERVER_TIMEOUT");
        });
        if (round == 0) {
          // A killed holder leaves no lock behind.
          PathLock.acquire(backup, "test", true).close();
        }
      }
      assertTrue(committed.size() > ACCOUNTS, "the kills happened after records were committed");
      assertTrue(midScan >= (DEEP_ONLY ? KILLS : 2), "only " + midScan + " of " + KILLS + " kills hit a running SmartScan");
    }
  }

  /** Each round's figures as lines of {@code key=value}, when a report file is named. */
  private record CrashReport(String file) {
    void kill(int round, boolean midScan, int records) throws java.io.IOException {
      write("kill round=" + round + " midScan=" + midScan + " recordsOnDisk=" + records);
    }

    void round(int round, long servingMs, long checkMs, int records, int lost) throws java.io.IOException {
      write("restart round=" + round + " servingMs=" + servingMs + " checkMs=" + checkMs + " records=" + records
          + " lost=" + lost);
    }

    private void write(String line) throws java.io.IOException {
      if (file != null) {
        java.nio.file.Files.writeString(Path.of(file), line + "\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
    }
  }

  private static Operation finish(Api api, Operation op) {
    await().atMost(Duration.ofSeconds(120)).until(() -> api.operation(op.uuid()).state().terminal());
    return api.operation(op.uuid());
  }

  private static void seed(Path storeDir) throws Exception {
    Random random = new Random(7);
    try (LocalMailStore store = LocalMailStore.open(storeDir, Clock.systemUTC())) {
      store.createDomain("crash.test");
      for (int a = 0; a < ACCOUNTS; a++) {
        Account acc = store.createAccount("user" + a + "@crash.test", null, Map.of());
        List<byte[]> mail = new ArrayList<>();
        for (int m = 0; m < MESSAGES; m++) {
          StringBuilder body = new StringBuilder();
          int lines = 40 + random.nextInt(200);
          for (int l = 0; l < lines; l++) {
            body.append("line ").append(l).append(" of message ").append(m).append(" for account ").append(a)
                .append(' ').append(Long.toHexString(random.nextLong())).append("\r\n");
          }
          mail.add(("From: sender" + m + "@crash.test\r\nTo: user" + a + "@crash.test\r\nSubject: message " + m
              + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        }
        store.addMessages(acc.id(), Folder.INBOX, mail, Set.of(), Set.of());
      }
    }
  }
}
