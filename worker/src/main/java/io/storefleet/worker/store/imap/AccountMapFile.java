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
 * per save, forced or not as the save says. A save of a few changes appends them instead of
 * rewriting the map (which for a large account is megabytes and two syncs). Once the log has grown as large as the
 * base (at least {@link #MIN_LOG_BYTES}) the next save compacts: the whole map is written beside
 * the base, forced, renamed over it, the log emptied and the folder synced, under a new
 * generation. Records name the generation they follow, so records left by a crash between the
 * rename and the emptying are stale and never applied to the newer base. A crash mid-append
 * leaves a torn last record, cut when the log is next read: that save did not happen. A power loss
 * may also leave unforced records damaged with whole ones after them: then the records before the
 * first damaged one are applied, the next save rewrites the map, and what the others held is
 * healed from the journal ({@link AccountMap#heal}); a forced record after the damage is media
 * damage, and the map is unreadable.
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
  /** Whether the next save must rewrite the whole map rather than append to the log. */
  private boolean rewriteNext;
  /**
   * Whether the base names the journal sequence it covers, so that records lost with a power loss
   * can be healed; the records after a base written before maps named it are all forced.
   */
  private boolean healable = true;

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

  /**
   * Notes what {@link AccountMap#load} read: the base's generation and size, and whether it names
   * its journal sequence (records not forced may follow only a base that does).
   */
  void loaded(long generation, boolean namesJournalSeq) throws IOException {
    this.generation = generation;
    this.baseBytes = Files.size(base);
    this.healable = namesJournalSeq;
  }

  /**
   * The records of the log that follow the base read (stale ones left out), oldest first. A
   * damaged record with whole ones after it is a power loss after unforced appends: the records
   * before it are applied, the journal heals the rest, and the next save rewrites the map. When a
   * forced record follows the damage (or the base's records are all forced), it is media damage:
   * the map is unreadable.
   */
  List<MapDelta> records() {
    if (!Files.exists(log)) {
      logBytes = 0;
      return List.of();
    }
    List<MapDelta> out = new ArrayList<>();
    try {
      AppendLog.Inspection read = AppendLog.inspect(log);
      logBytes = Files.size(log);
      // Every line before the first damaged one is a good record.
      int whole = read.damagedAt().isEmpty() ? read.records().size() : linesBefore(read.damagedAt().get(0));
      // A torn tail is cut by the next append's open.
      for (int i = 0; i < read.records().size(); i++) {
        MapDelta d = Json.MAPPER.readValue(read.records().get(i), MapDelta.class);
        if (d.generation() != generation) {
          continue;
        }
        if (i < whole) {
          out.add(d);
        } else if (!healable || d.wasForced()) {
          throw new IOException("damaged record at byte " + read.damagedAt().get(0) + " of the log, with a forced"
              + " record after it");
        }
      }
      rewriteNext = whole < read.records().size();
    } catch (IOException e) {
      throw unreadable(e);
    }
    return out;
  }

  private int linesBefore(long offset) throws IOException {
    byte[] all = Files.readAllBytes(log);
    int lines = 0;
    for (int i = 0; i < offset; i++) {
      if (all[i] == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /**
   * Whether the next save may append {@code record} rather than rewrite the map: counted in bytes
   * as the log holds it (UTF-8, framed), as the sizes it is compared with are.
   */
  boolean appendable(String record) {
    long framed = record.getBytes(StandardCharsets.UTF_8).length + FRAME_BYTES;
    return !rewriteNext && Files.exists(base) && logBytes + framed < Math.max(MIN_LOG_BYTES, baseBytes);
  }

  /**
   * Appends one record, forced when {@code force} or when the base cannot be healed; otherwise a
   * killed process keeps it and a power loss may not. The log exists since the base was written
   * (a compaction creates it).
   */
  void append(String record, boolean force) {
    boolean forced = force || !healable;
    try (AppendLog l = AppendLog.open(log, forced)) {
      l.write(List.of(record));
      if (forced) {
        l.force();
      }
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
      rewriteNext = false;
      healable = true;
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the imap store's id map " + base + ": " + e.getMessage());
    }
  }

  /** Makes the next save rewrite the whole map (forced) rather than append a record. */
  void rewriteOnNextSave() {
    rewriteNext = true;
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
