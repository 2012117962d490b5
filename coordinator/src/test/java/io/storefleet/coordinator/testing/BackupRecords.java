package io.storefleet.coordinator.testing;

import io.storefleet.worker.log.AppendLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The committed records of a backup path, to show that a crash or restart lost none of them. */
public final class BackupRecords {
  private BackupRecords() {}

  /** Every whole record of every log in the backup path, tagged with its file. */
  public static Set<String> of(Path backup) throws Exception {
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(backup)) {
      return out;
    }
    List<Path> logs;
    try (Stream<Path> s = Files.walk(backup)) {
      logs = s.filter(f -> f.getFileName().toString().endsWith(".log") && !f.toString().contains("quarantine"))
          .filter(f -> !f.getFileName().toString().equals("realtime.log")).toList();
    }
    for (Path log : logs) {
      for (String r : AppendLog.inspect(log).records()) {
        out.add(backup.relativize(log) + " " + r);
      }
    }
    return out;
  }
}
