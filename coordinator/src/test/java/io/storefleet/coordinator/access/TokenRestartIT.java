package io.storefleet.coordinator.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.codec.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens and revocations come back from the workers' disks after every node of the cluster stopped. */
@Tag("cluster")
class TokenRestartIT {
  @TempDir Path root;

  @Test
  void tokensAndRevocationsSurviveAFullRestart() throws Exception {
    String kept;
    String revoked;
    String createdWhileMbox2WasDown;
    try (TestCluster first = TestCluster.start(root, 2, 1)) {
      Api admin = first.api();
      kept = AccessIT.create(admin, "kept", Role.OPERATOR, List.of()).token();
      revoked = AccessIT.create(admin, "revoked", Role.VIEWER, List.of()).token();
      assertEquals(200, admin.delete("/api/v1/tokens/revoked").status());
      first.stopWorker("mbox2");
      createdWhileMbox2WasDown = AccessIT.create(admin, "late", Role.VIEWER, List.of()).token();
      // mbox2 copies the token it missed from the cluster map when it starts again.
      first.startWorker("mbox2");
      first.stopWorker("mbox1");
    }
    // A new cluster on the same data dirs: nothing of the first is left in memory anywhere, and
    // only mbox2 runs, so "late" can only come back from the copy mbox2 made when it rejoined.
    try (TestCluster second = TestCluster.start(root, 0, 0)) {
      second.addWorker("mbox2");
      Api admin = second.addCoordinator();
      assertEquals(200, admin.as(kept).get("/api/v1/whoami").status());
      assertEquals(200, admin.as(createdWhileMbox2WasDown).get("/api/v1/whoami").status());
      assertEquals(401, admin.as(revoked).get("/api/v1/whoami").status());
      TokenRecord[] all = Json.fromTree(admin.get("/api/v1/tokens").body(), TokenRecord[].class);
      assertEquals(List.of("admin", "kept", "late", "revoked"), java.util.Arrays.stream(all).map(TokenRecord::name).toList());
    }
  }
}
