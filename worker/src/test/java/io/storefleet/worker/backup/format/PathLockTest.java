package io.storefleet.worker.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A path being written is open in one engine only; readers share. Another process: BackupCrashIT. */
class PathLockTest {
  @TempDir Path dir;

  private BackupEngine reader(Path root) throws Exception {
    return BackupEngine.openForReading(BackupPath.openExisting(root, "mbox2"), () -> true);
  }

  @Test
  void noOtherEngineOpensAPathBeingWrittenAndOnceItClosesAnyMay() throws Exception {
    Path root = dir.resolve("backup");
    BackupEngine writer = BackupEngine.open(BackupPath.open(root, "mbox1"), () -> false);
    long size = Files.size(root.resolve("blobs/index.log"));
    StorefleetException e = assertThrows(StorefleetException.class, () -> reader(root));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("backup of server mbox1, opened by process " + ProcessHandle.current().pid()),
        e.getMessage());
    assertTrue(e.getMessage().contains("give a copy of the path"), e.getMessage());
    assertEquals(size, Files.size(root.resolve("blobs/index.log")), "the refused open touched nothing");
    // A refusal must not drop the writer's lock: the next try is refused as well.
    assertThrows(StorefleetException.class, () -> BackupEngine.open(BackupPath.openExisting(root, "mbox2"), () -> true));
    writer.close();
    reader(root).close();
  }

  @Test
  void readersShareAPathAndKeepWritersOffUntilTheLastOneCloses() throws Exception {
    Path root = dir.resolve("backup");
    BackupEngine.open(BackupPath.open(root, "mbox1"), () -> false).close();
    BackupEngine first = reader(root);
    BackupEngine second = reader(root);
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> BackupEngine.open(BackupPath.openExisting(root, "mbox1"), () -> false));
    assertTrue(e.getMessage().contains("(reading it)"), e.getMessage());
    first.close();
    assertThrows(StorefleetException.class, () -> BackupEngine.open(BackupPath.openExisting(root, "mbox1"), () -> false));
    second.close();
    BackupEngine.open(BackupPath.openExisting(root, "mbox1"), () -> false).close();
  }

  @Test
  void aLinkToAnOpenPathIsTheSamePath() throws Exception {
    Path root = dir.resolve("backup");
    try (BackupEngine first = BackupEngine.open(BackupPath.open(root, "mbox1"), () -> false)) {
      Path link = Files.createSymbolicLink(dir.resolve("link"), root);
      assertThrows(StorefleetException.class, () -> reader(link));
    }
  }
}
