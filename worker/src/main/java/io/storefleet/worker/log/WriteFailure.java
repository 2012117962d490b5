package io.storefleet.worker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A failed write as an operator reads it: the file named (the JDK names none for a failed write),
 * and a full file system said in words, with what to do.
 */
public final class WriteFailure {
  private WriteFailure() {}

  /** Whether {@code e} or one of its causes is a full file system (ENOSPC) or an exhausted quota (EDQUOT). */
  public static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  /** Writes all of {@code buf} at {@code position} of {@code ch}, the file of {@code file}; a failure names it. */
  public static void writeAt(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
    try {
      while (buf.hasRemaining()) {
        ch.write(buf, position + buf.position());
      }
    } catch (IOException e) {
      throw naming(file, e);
    }
  }

  /** {@code e} as an IOException that names {@code file}. */
  public static IOException naming(Path file, IOException e) {
    if (diskFull(e)) {
      return new IOException("no space left on device writing " + file + "; free space on its file system and"
          + " run the command again (what was committed before is kept)", e);
    }
    if (e.getMessage() != null && e.getMessage().contains(file.toString())) {
      return e;
    }
    return new IOException("cannot write " + file + ": " + e.getMessage(), e);
  }
}
