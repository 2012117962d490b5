package io.storefleet.worker.launch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Keeps a second worker process off a data dir before it opens anything there: opening the
 * store repairs its journal's tail, which would cut what the running worker is writing. An OS
 * file lock on {@code storefleet-worker.lock}, so a killed holder never leaves it behind; the
 * file's text names the holder for the refusal.
 */
final class DataDirLock implements Closeable {
  static final String FILE = "storefleet-worker.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dataDir} (creating it) for server {@code serverId}. */
  static DataDirLock acquire(Path dataDir, String serverId, Clock clock) throws StartFailure {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        throw new StartFailure(ExitCode.DATA_IN_USE, "data dir " + dataDir + " is in use by another worker process ("
            + (holder.isEmpty() ? "starting" : holder) + "); two workers on one data dir would damage its store."
            + " Stop that worker first, or give this one its own --server-data-dir", null);
      }
      ch.truncate(0);
      ByteBuffer text = ByteBuffer.wrap(("worker of server " + serverId + ", pid " + ProcessHandle.current().pid()
          + ", since " + clock.instant() + "\n").getBytes(StandardCharsets.UTF_8));
      while (text.hasRemaining()) {
        ch.write(text, text.position());
      }
      return new DataDirLock(ch, lock);
    } catch (IOException e) {
      throw new StartFailure(ExitCode.START_FAILED, "data dir " + dataDir + " could not be locked: " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
      lock.release();
    } finally {
      channel.close();
    }
  }
}
