package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.MemberWatch;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.coordinator.testing.WorkerProcess;
import io.storefleet.worker.launch.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second worker process started with a server id that a live worker serves is refused, names
 * the holder, and changes nothing the holder serves; once the holder is SIGKILLed, a worker with
 * that id starts (the disaster-recovery replacement).
 */
@Tag("cluster")
class DuplicateServerIdIT {
  @TempDir Path root;

  @Test
  void aSecondWorkerWithALiveIdIsRefusedAndAKilledHoldersIdCanBeTakenOver() throws Exception {
    try (TestCluster cluster = TestCluster.start(root, 0, 1)) {
      Api api = cluster.api();
      Path original = root.resolve("original");
      Path replacement = root.resolve("replacement");
      try (WorkerProcess holder = WorkerProcess.start("mboxd", original, root, cluster.settings(), 0,
          root.resolve("holder.log"))) {
        api.admin(null, "createDomain", "dup.test").result();
        api.admin("mboxd", "createAccount", "alice@dup.test").result();
        api.admin("mboxd", "createAccount", "bob@dup.test").result();
        int members = cluster.memberCount();

        Path refusedLog = root.resolve("duplicate.log");
        int code;
        try (MemberWatch watch = cluster.watchMembers()) {
          code = WorkerProcess.runToExit("mboxd", replacement, root, cluster.settings(), refusedLog);
          watch.assertJoinedAndLeft();
        }

        String message = Files.readString(refusedLog);
        assertEquals(ExitCode.SERVER_ID_IN_USE.code(), code, message);
        assertTrue(message.contains("server id mboxd is already served by a live cluster member"), message);
        assertTrue(message.contains("pid " + holder.pid()), "names the holder's pid: " + message);
        assertTrue(message.contains("data dir " + original), "names the holder's data dir: " + message);
        assertTrue(message.matches("(?s).*member 127\\.0\\.0\\.1:\\d+,.*"), "names the holder's address: " + message);
        assertTrue(message.contains("left the cluster"), "left before it exited: " + message);
        await().until(() -> cluster.memberCount() == members);

        // The directory still points at the holder's store, every time it is asked.
        for (int i = 0; i < 6; i++) {
          String accounts = api.admin("mboxd", "listAccounts").result().reply().result().toString();
          assertTrue(accounts.contains("alice@dup.test") && accounts.contains("bob@dup.test"), accounts);
          Api.Answer where = api.get("/api/v1/accounts/bob@dup.test");
          assertEquals(200, where.status(), where.body().toString());
          assertTrue(where.body().toString().contains("mboxd"), where.body().toString());
        }
        assertTrue(server(api, "mboxd").get("reachable").asBoolean());
        assertTrue(Files.notExists(replacement.resolve("store")), "the refused worker opened no store");

        holder.kill();
      }

      // Right after the SIGKILL the cluster still lists the dead holder: the replacement waits
      // for the cluster to drop it, then takes the id over.
      try (WorkerProcess taken = WorkerProcess.start("mboxd", replacement, root, cluster.settings(), 0,
          root.resolve("replacement.log"))) {
        String log = Files.readString(root.resolve("replacement.log"));
        assertTrue(log.contains("server id mboxd taken over from member 127.0.0.1:"), "took the dead holder's claim: "
            + log);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          JsonNode s = server(api, "mboxd");
          return s != null && s.get("reachable").asBoolean()
              && s.get("backupPath").asText().startsWith(replacement.toString());
        });
        assertTrue(!api.admin("mboxd", "listAccounts").result().reply().result().toString()
            .contains("alice@dup.test"), "the replacement serves its own, empty store");
      }
    }
  }

  private static JsonNode server(Api api, String serverId) {
    for (JsonNode s : api.get("/api/v1/servers").body()) {
      if (s.get("serverId").asText().equals(serverId)) {
        return s;
      }
    }
    return null;
  }
}
