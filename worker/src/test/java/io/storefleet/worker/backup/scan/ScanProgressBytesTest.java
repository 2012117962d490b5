package io.storefleet.worker.backup.scan;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.Progress;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.testing.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte count of a scan's progress follows the items read, inside an account (issue 18, item 11). */
class ScanProgressBytesTest {
  @TempDir Path dir;

  @Test
  void bytesGrowWhileTheAccountIsStillBeingScanned() throws Exception {
    try (ServerFixture f = new ServerFixture(dir, "mbox1")) {
      f.store.createDomain("example.com");
      Account ann = f.account("ann@example.com");
      List<byte[]> mail = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        mail.add(ServerFixture.message("m" + i, "x".repeat(1000)));
      }
      f.store.addMessages(ann.id(), Folder.INBOX, mail, Set.of(), Set.of());
      f.gate.shut();
      String uuid = f.submit("doSmartScan", "deep", "true");
      // Let items through one by one until some are read but the account is not finished.
      await().until(() -> {
        Progress p = f.operation(uuid).progress();
        if (p != null && p.done() >= 3 && p.bytes() > 0) {
          return true;
        }
        if (f.gate.holding()) {
          f.gate.release(1);
        }
        return false;
      });
      Progress mid = f.operation(uuid).progress();
      assertTrue(mid.done() < mid.total(), "the account is still being scanned: " + mid);
      assertTrue(mid.bytes() >= 1000L * (mid.done() - 1), "bytes follow the items read: " + mid);
      f.gate.open();
      assertEquals(OperationState.SUCCEEDED, f.await(uuid).state());
    }
  }
}
