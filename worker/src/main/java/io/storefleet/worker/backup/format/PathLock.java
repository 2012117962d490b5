package io.storefleet.worker.backup.format;

import io.storefleet.protocol.error.ErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps engines from opening a backup path under a live writer: opening repairs (cuts pack tails,
 * rewrites a damaged index), which would destroy what the writer is writing. A writer (the
 * worker's own path, an export destination, a purge or coherency check of a named path) holds
 * the path alone; readers (import and raw-restore sources, queries of a named path) may share it
 * with each other. The lock is an OS file lock on {@code storefleet-backup.lock} at the root, so
 * a killed process never leaves it behind; the file's text names the writer, for error messages.
 *
 * <p>Within one JVM the OS lock cannot tell engines apart (and closing any channel of the file
 * would drop it, POSIX record locks belonging to the process), so this JVM's holders are counted
 * here and the file is opened once per path.
 */
public final class PathLock implements Closeable {
  static final String FILE = "storefleet-backup.lock";

  /** This JVM's hold on one path: one OS lock, shared by its readers or held by one writer. */
  private static final class Hold {
    final FileChannel channel;
    final FileLock lock;
    final boolean writer;
    int holders = 1;

    Hold(FileChannel channel, FileLock lock, boolean writer) {
      this.channel = channel;
      this.lock = lock;
      this.writer = writer;
    }
  }

  private static final Map<Path, Hold> HELD_HERE = new HashMap<>();

  private final Path key;
  private boolean closed;

  private PathLock(Path key) {
    this.key = key;
  }

  /**
   * Takes the lock of the backup path at {@code root}, which holds the backup of server
   * {@code owner}: alone for a writer, shared with other readers for a reader.
   *
   * @throws io.storefleet.protocol.error.StorefleetException CONFLICT when another engine, in
   *     this process or another, holds it in a way this one cannot share
   */
  public static PathLock acquire(Path root, String owner, boolean writer) throws IOException {
    Path key = root.toRealPath();
    Path file = key.resolve(FILE);
    synchronized (HELD_HERE) {
      Hold held = HELD_HERE.get(key);
      if (held != null) {
        if (writer || held.writer) {
          throw inUse(root, file, owner);
        }
        held.holders++;
        return new PathLock(key);
      }
      if (!writer && !Files.exists(file) && !Files.isWritable(key)) {
        // Read-only storage (a snapshot, a read-only mount): no engine can be writing it.
        return new PathLock(null);
      }
      // A reader needs only to read the file to take a shared lock, so a lock file it may not
      // write does not keep it out.
      FileChannel ch = writer || !Files.exists(file)
          ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(file, StandardOpenOption.READ);
      try {
        FileLock lock;
        try {
          lock = ch.tryLock(0, Long.MAX_VALUE, !writer);
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          throw inUse(root, file, owner);
        }
        if (writer) {
          say(ch, "backup of server " + owner + ", opened by process " + ProcessHandle.current().pid() + " since "
              + Instant.now() + "\n");
        }
        HELD_HERE.put(key, new Hold(ch, lock, writer));
        return new PathLock(key);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
  }

  private static void say(FileChannel ch, String text) throws IOException {
    ch.truncate(0);
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      ch.write(b, b.position());
    }
  }

  private static RuntimeException inUse(Path root, Path file, String owner) {
    String who;
    try {
      who = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
    } catch (IOException e) {
      who = "";
    }
    return ErrorCode.CONFLICT.exception("backup path " + root + " is open in another storefleet engine ("
        + (who.isEmpty() ? "reading it" : who) + "); a backup path that is being written may not be opened by"
        + " another engine, because opening repairs it. Wait until that worker stops or that operation ends, or"
        + " give a copy of the path", owner);
  }

  @Override
  public void close() throws IOException {
    if (key == null) {
      return;
    }
    synchronized (HELD_HERE) {
      if (closed) {
        return;
      }
      closed = true;
      Hold held = HELD_HERE.get(key);
      if (held == null || --held.holders > 0) {
        return;
      }
      HELD_HERE.remove(key);
      try {
        if (held.writer) {
          // A reader refused later must not be told of a writer that is gone.
          held.channel.truncate(0);
        }
        held.lock.release();
      } finally {
        held.channel.close();
      }
    }
  }
}
