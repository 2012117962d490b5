package io.storefleet.worker.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real file system of a few megabytes (tmpfs) mounted for one test, that a test fills up to
 * make the disk full under a running operation and frees again. Mounting needs root, as CI has:
 * in CI ({@code CI=true}) a failed mount fails the test; elsewhere the test is skipped, saying so.
 */
public final class SmallFileSystem implements AutoCloseable {
  private final Path mountPoint;
  private final Path filler;

  private SmallFileSystem(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  /** Mounts a tmpfs of {@code bytes} at {@code mountPoint} (created if needed). */
  public static SmallFileSystem mount(Path mountPoint, long bytes) throws Exception {
    Files.createDirectories(mountPoint);
    String why = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs",
        mountPoint.toString()));
    if (why != null) {
      MissingComponent.require(false,
          "a size-limited tmpfs cannot be mounted here (" + why + "); run the test as root, as CI does");
    }
    return new SmallFileSystem(mountPoint);
  }

  /** Takes all free space but {@code leftBytes} (all of it for 0) with a file of its own. */
  public void fill(long leftBytes) throws IOException {
    long take = Files.getFileStore(mountPoint).getUsableSpace() - leftBytes;
    try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer block = ByteBuffer.allocate(64 << 10);
      while (take > 0) {
        block.clear().limit((int) Math.min(block.capacity(), take));
        take -= ch.write(block);
      }
    } catch (IOException full) {
      if (leftBytes > 0) {
        throw full;
      }
      // Asked for all of it: the last block met the end of the space, as it may.
    }
  }

  /** Bytes free now. */
  public long free() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  /** Gives the space taken by {@link #fill} back. */
  public void release() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws Exception {
    String why = run(List.of("umount", "-l", mountPoint.toString()));
    if (why != null) {
      throw new IOException("cannot unmount " + mountPoint + ": " + why);
    }
  }

  /** Runs a command; null when it succeeded, otherwise what it said. */
  private static String run(List<String> command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not end within 30 s";
    }
    String out = new String(p.getInputStream().readAllBytes()).trim();
    return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
  }
}
