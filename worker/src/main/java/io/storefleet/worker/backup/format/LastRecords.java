package io.storefleet.worker.backup.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The last record of each server log the engine appended or read, with what the file was like then.
 * A scan compares its provisioning and configuration with the last recorded ones at every start;
 * reading the log and decoding its last line for that cost 50–70 ms on the imap benchmark's first
 * incremental (the first decode of a record type in a JVM builds its Jackson deserializer), while
 * the engine knew the record it had written itself. The file's identity, size and time tell when
 * someone else changed it (nothing should: the engine holds the path's writer lock); it is then
 * read again.
 */
final class LastRecords {
  private record Last(Object record, Object fileKey, long size, long modifiedNanos) {}

  private final Map<Path, Last> byLog = new HashMap<>();

  /** The last record of {@code log}, or null when unknown or the file changed since. */
  synchronized <T> T get(Path log, Class<T> type) {
    Last last = byLog.get(log);
    if (last == null || !type.isInstance(last.record())) {
      return null;
    }
    Last now = stat(log, last.record());
    if (now == null || !Objects.equals(now.fileKey(), last.fileKey()) || now.size() != last.size()
        || now.modifiedNanos() != last.modifiedNanos()) {
      byLog.remove(log);
      return null;
    }
    return type.cast(last.record());
  }

  /** {@code record} is the last of {@code log} as the file stands now (just appended, or just read). */
  synchronized void remember(Path log, Object record) {
    Last now = stat(log, record);
    if (now == null) {
      byLog.remove(log);
    } else {
      byLog.put(log, now);
    }
  }

  /** Something else was appended to {@code log}. */
  synchronized void forget(Path log) {
    byLog.remove(log);
  }

  private static Last stat(Path log, Object record) {
    try {
      BasicFileAttributes a = Files.readAttributes(log, BasicFileAttributes.class);
      return new Last(record, a.fileKey(), a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
          + a.lastModifiedTime().toInstant().getNano());
    } catch (IOException e) {
      return null;
    }
  }
}
