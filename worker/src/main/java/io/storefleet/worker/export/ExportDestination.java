package io.storefleet.worker.export;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks an export's destination before anything is written to it: it must be an empty, writable
 * folder (or one that can be created), or an unfinished export of this server, which a re-run
 * resumes. Everything else is refused with the reason and the way out.
 */
final class ExportDestination {
  private static final String BACKUP_MARKER = "storefleet-backup.json";

  /** What the destination holds. {@code resume} is null for a fresh export. */
  record State(Path path, ExportMarker resume) {}

  private ExportDestination() {}

  static State inspect(Path dest, String serverId) {
    try {
      return check(dest, serverId);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception(
          "doExport destination_path " + dest + " cannot be read: " + e.getMessage(), serverId);
    }
  }

  private static State check(Path dest, String serverId) throws IOException {
    if (!Files.exists(dest)) {
      Path parent = dest.getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw ErrorCode.NOT_FOUND.exception("doExport destination_path " + dest + " does not exist and neither does"
            + " its parent folder; create the folder first (mkdir -p) or give an existing empty folder", serverId);
      }
      probeWritable(parent, dest, serverId);
      return new State(dest, null);
    }
    if (!Files.isDirectory(dest)) {
      throw ErrorCode.BAD_VALUE.exception(
          "doExport destination_path " + dest + " is a file, not a folder; give an empty folder", serverId);
    }
    probeWritable(dest, dest, serverId);
    List<String> entries = new ArrayList<>();
    try (Stream<Path> s = Files.list(dest)) {
      s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(entries::add);
    }
    if (entries.isEmpty()) {
      return new State(dest, null);
    }
    ExportMarker marker = readMarker(dest, serverId);
    if (marker != null) {
      if (!marker.server().equals(serverId)) {
        throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " holds an export of server "
            + marker.server() + "; only the server that started an export resumes it. Give an empty folder", serverId);
      }
      ExportLog.Entry finished = ExportLog.finishedEntry(ExportLog.read(dest));
      if (finished != null) {
        throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " already holds a finished export of "
            + marker.server() + " started at " + marker.startedAt() + " (" + marker.accounts().size()
            + " account(s)); give an empty folder for a new export", serverId);
      }
      return new State(dest, marker);
    }
    if (entries.equals(List.of(BACKUP_MARKER)) && ownBackupMarker(dest.resolve(BACKUP_MARKER), serverId)) {
      // A run stopped between creating the backup marker and the export marker wrote nothing else.
      return new State(dest, null);
    }
    throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " is not empty (it holds "
        + preview(entries) + "); an export needs an empty folder, or an unfinished export of this server to resume",
        serverId);
  }

  private static ExportMarker readMarker(Path dest, String serverId) {
    try {
      return ExportMarker.read(dest);
    } catch (IOException e) {
      throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " holds an export this storefleet cannot"
          + " resume: " + e.getMessage() + ". Give an empty folder", serverId);
    }
  }

  private static boolean ownBackupMarker(Path marker, String serverId) {
    try {
      return serverId.equals(Json.MAPPER.readTree(Files.readString(marker)).path("server").asText());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Creating a file is the only test that holds for every file system and user. */
  private static void probeWritable(Path dir, Path dest, String serverId) {
    try {
      Path probe = Files.createTempFile(dir, ".storefleet-probe-", "");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw ErrorCode.CONFLICT.exception("doExport destination_path " + dest + " is not writable by the worker"
          + " (user " + System.getProperty("user.name") + ", " + e + "); make " + dir
          + " writable by that user, or give another folder", serverId);
    }
  }

  private static String preview(List<String> entries) {
    List<String> shown = entries.subList(0, Math.min(5, entries.size()));
    return String.join(", ", shown) + (entries.size() > shown.size() ? " and " + (entries.size() - shown.size())
        + " more" : "");
  }
}
