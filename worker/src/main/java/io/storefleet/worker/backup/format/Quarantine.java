package io.storefleet.worker.backup.format;

import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A coherency fix's folder inside the backup path ({@code quarantine/<time>/}) that receives the
 * corrupt and orphaned files it takes out of use, at their path relative to the backup root, so
 * nothing a fix touches is ever lost.
 */
public final class Quarantine {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path root;
  private final Path dir;
  private final List<String> moved = new ArrayList<>();

  public Quarantine(BackupPath path, Instant at) {
    this.root = path.root();
    this.dir = path.quarantineDir().resolve(STAMP.format(at));
  }

  public Path dir() {
    return dir;
  }

  public List<String> moved() {
    return moved;
  }

  /** Moves a file into quarantine. */
  public void move(Path file, String why) throws IOException {
    Path target = target(root.relativize(file).toString());
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    AppendLog.syncDirectory(file.getParent());
    moved.add(root.relativize(file) + " (" + why + ")");
  }

  /** Copies a file into quarantine before it is rewritten without its damaged part. */
  public void copy(Path file, String why) throws IOException {
    Path target = target(root.relativize(file).toString());
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    moved.add(root.relativize(file) + " (" + why + "; a copy of the original is in quarantine)");
  }

  /** Records something taken out of use that left no bytes to keep. */
  public void note(String what) {
    moved.add(what);
  }

  /** Writes bytes cut out of a larger file (a corrupt blob of a pack). */
  public void write(String relative, byte[] bytes, String why) throws IOException {
    BackupPath.writeAtomically(target(relative), bytes);
    moved.add(relative + " (" + why + ")");
  }

  private Path target(String relative) throws IOException {
    Path t = dir.resolve(relative);
    Files.createDirectories(t.getParent());
    return t;
  }
}
