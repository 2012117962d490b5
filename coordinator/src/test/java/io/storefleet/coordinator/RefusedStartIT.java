package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.MemberWatch;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.worker.launch.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process refused at start ends with its documented exit code and leaves the cluster,
 * instead of staying up as a member that serves nothing.
 */
@Tag("cluster")
class RefusedStartIT {
  @TempDir Path root;

  @Test
  void workersRefusedByALockExitWithTheDocumentedCodeAndLeaveTheCluster() throws Exception {
    try (TestCluster cluster = TestCluster.start(root, 0, 1)) {
      Path data = root.resolve("mboxa");
      try (WorkerProcess running = WorkerProcess.start("mboxa", data, root, cluster.settings(), 0,
          root.resolve("mboxa.log"))) {
        int members = cluster.memberCount();
        assertEquals(2, members);

        // Its own data dir, but the running worker's backup path: refused after it joined the cluster.
        Path backupLog = root.resolve("backup-path.log");
        int code;
        try (MemberWatch watch = cluster.watchMembers()) {
          code = WorkerProcess.runToExit("mboxb", root.resolve("mboxb"), root, cluster.settings(), backupLog,
              "--server-backup-path", data.resolve("backup").toString());
          watch.assertJoinedAndLeft();
        }
        String message = Files.readString(backupLog);
        assertEquals(ExitCode.DATA_IN_USE.code(), code, message);
        assertTrue(message.contains("belongs to server mboxa"), message);
        assertTrue(message.contains("left the cluster"), "left before it exited: " + message);
        await().until(() -> cluster.memberCount() == members);

        // The same id in another cluster (two clusters on one machine): the backup path's lock refuses it.
        Path lockLog = root.resolve("path-lock.log");
        code = WorkerProcess.runToExit("mboxa", root.resolve("elsewhere"), root,
            ClusterSettings.loopback(cluster.settings().clusterName() + "-other"), lockLog,
            "--server-backup-path", data.resolve("backup").toString());
        message = Files.readString(lockLog);
        assertEquals(ExitCode.DATA_IN_USE.code(), code, message);
        assertTrue(message.contains("opened by process " + running.pid()), message);
        assertTrue(message.contains("left the cluster"), "left before it exited: " + message);

        // The running worker's data dir: refused before it joins the cluster or opens anything there.
        Path dataLog = root.resolve("data-dir.log");
        try (MemberWatch watch = cluster.watchMembers()) {
          code = WorkerProcess.runToExit("mboxc", data, root, cluster.settings(), dataLog);
          watch.assertNoneJoined();
        }
        message = Files.readString(dataLog);
        assertEquals(ExitCode.DATA_IN_USE.code(), code, message);
        assertTrue(message.contains("data dir " + data + " is in use by another worker process (worker of server"
            + " mboxa, pid " + running.pid()), message);

        assertEquals(200, cluster.api().backup("mboxa", "getServices").status(), "the running worker still serves");
      }
    }
  }
}
