package io.storefleet.worker.store.imap;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * Where one account's id map lives on disk: a base file {@code <account id>.json} holding the
 * whole map, and beside it a log {@code <account id>.json.log} of {@link MapDelta} records, one
 * per save, each forced once. A save of a few changes appends them instead of rewriting the map
 * (which for a large account is megabytes and two syncs). Once the log has grown as large as the
 * base (at least {@link #MIN_LOG_BYTES}) the next save compacts: the whole map is written beside
 * the base, forced, renamed over it, the log emptied and the folder synced, under a new
 * generation. Records name the generation they follow, so records left by a crash between the
 * rename and the emptying are stale and never applied to the newer base. A crash mid-append
 * leaves a torn last record, cut when the log is next read: that save did not happen, and the
 * next pass finds its changes again (journalled twice, never lost).
 */
final class AccountMapFile {
  static final long MIN_LOG_BYTES = 64 << 10;
  /** What {@link AppendLog} adds to a record: a checksum of 8 hex digits, a space and a newline. */
  private static final int FRAME_BYTES = 10;

  private final Path base;
  private final Path log;
  private long generation;
  private long baseBytes;
  private long logBytes;

  AccountMapFile(Path base) {
    this.base = base;
    this.log = base.resolveSibling(base.getFileName() + ".log");
  }

  Path base() {
    return base;
  }

  boolean exists() {
    return Files.exists(base);
  }

  /** The generation of the base read or written last (0 for a map written before logs existed). */
  long generation() {
    return generation;
  }

  /** Notes what {@link AccountMap#load} read: the base's generation and size. */
  void loaded(long generation) throws IOException {
    this.generation = generation;
    this.baseBytes = Files.size(base);
  }

  /** The records of the log that follow the base read (stale ones left out), oldest first. */
  List<MapDelta> records() {
    if (!Files.exists(log)) {
      logBytes = 0;
      return List.of();
    }
    List<MapDelta> out = new ArrayList<>();
    try (AppendLog l = AppendLog.open(log)) {
      for (String r : l.recovered()) {
        MapDelta d = Json.MAPPER.readValue(r, MapDelta.class);
        if (d.generation() == generation) {
          out.add(d);
        }
      }
      logBytes = Files.size(log);
    } catch (IOException e) {
      throw unreadable(e);
    }
    return out;
  }

  /**
   * Whether the next save may append {@code record} rather than rewrite the map: counted in bytes
   * as the log holds it (UTF-8, framed), as the sizes it is compared with are.
   */
  boolean appendable(String record) {
    long framed = record.getBytes(StandardCharsets.UTF_8).length + FRAME_BYTES;
    return Files.exists(base) && logBytes + framed < Math.max(MIN_LOG_BYTES, baseBytes);
  }

  /** Appends one record and forces it. */
  void append(String record) {
    try (AppendLog l = AppendLog.open(log)) {
      l.append(record);
      logBytes = Files.size(log);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the imap store's id map log " + log + ": " + e.getMessage());
    }
  }

  /** Writes the whole map ({@code text} of a new generation) over the base, then drops the log. */
  void compact(LongFunction<String> text) {
    long next = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    Path tmp = base.resolveSibling(base.getFileName() + ".tmp");
    try {
      String whole = text.apply(next);
      Files.createDirectories(base.getParent());
      Files.writeString(tmp, whole);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      // The old records are stale from here on (another generation): emptied, and the log's entry
      // made durable with the rename by one folder sync, so that no append needs another.
      Files.write(log, new byte[0]);
      AppendLog.syncDirectory(base.getParent());
      generation = next;
      baseBytes = Files.size(base);
      logBytes = 0;
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the imap store's id map " + base + ": " + e.getMessage());
    }
  }

  /** Removes the map (base and log). */
  void delete() throws IOException {
    Files.deleteIfExists(base);
    Files.deleteIfExists(log);
  }

  StorefleetException unreadable(Exception e) {
    return ErrorCode.IO_ERROR.exception("the imap store's id map " + base + " or its log " + log.getFileName()
        + " is unreadable (" + e.getMessage() + "); move both away: the next scan rebuilds the map from the backup");
  }
}
