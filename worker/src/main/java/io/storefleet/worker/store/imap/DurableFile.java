package io.storefleet.worker.store.imap;

import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** A small file replaced whole: written beside, forced, renamed over, its folder synced. */
final class DurableFile {
  private DurableFile() {}

  /** After a crash the file holds the old text or the new one, never a mix. */
  static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectories(file.getParent());
    Files.writeString(tmp, text);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    AppendLog.syncDirectory(file.getParent());
  }
}
