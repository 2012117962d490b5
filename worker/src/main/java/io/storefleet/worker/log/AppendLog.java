package io.storefleet.worker.log;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of text records, one per line, each framed as {@code <crc32c-hex> <text>\n}.
 *
 * <p>A record is <b>committed</b> once {@link #append} returns: the bytes are written and forced
 * to disk. A crash can only leave a torn tail (a last line without newline or with a wrong
 * checksum); {@link #open} reads every whole record and cuts the torn tail off, so a record is
 * either fully there or not there at all.
 *
 * <p>A group commit over many logs splits an append in two: {@link #write} puts the records in
 * the file (a process kill keeps them, a power loss may not), and {@link #force} makes them
 * durable. Writing every log of a group first and forcing them afterwards lets the file system
 * commit its journal once for the whole group instead of once per log.
 */
public final class AppendLog implements Closeable {
  private final Path file;
  private final FileChannel channel;
  private final List<String> recovered;
  private final long truncatedBytes;
  private final boolean created;
  private boolean unforced;

  private AppendLog(Path file, FileChannel channel, List<String> recovered, long truncatedBytes, boolean created) {
    this.file = file;
    this.channel = channel;
    this.recovered = recovered;
    this.truncatedBytes = truncatedBytes;
    this.created = created;
  }

  /** Opens (creating if needed) a log, reading its committed records and cutting a torn tail. */
  public static AppendLog open(Path file) throws IOException {
    return open(file, true);
  }

  /**
   * Opens a log like {@link #open(Path)}; when {@code syncNewEntry} is false and the file is new,
   * its directory is not synced here: the caller does it (once for many new files) before it
   * relies on the records, and can ask {@link #created()} which files need it.
   */
  public static AppendLog open(Path file, boolean syncNewEntry) throws IOException {
    return open(file, syncNewEntry, true);
  }

  /**
   * Opens a log like {@link #open(Path)} but keeps none of the records it checks ({@link #recovered}
   * is empty): for a log that is only appended to and read afresh with {@link #inspect}, whose
   * whole history need not stay in memory.
   */
  public static AppendLog openForAppends(Path file) throws IOException {
    return open(file, true, false);
  }

  private static AppendLog open(Path file, boolean syncNewEntry, boolean keepRecords) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean created = !Files.exists(file);
    FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    List<String> records = new ArrayList<>();
    long good = 0;
    long size = ch.size();
    byte[] all = readAll(ch, size, file);
    int start = 0;
    long badAt = -1;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != '\n') {
        continue;
      }
      String text = verify(all, start, i);
      if (text == null) {
        if (badAt < 0) {
          badAt = start;
        }
      } else if (badAt >= 0) {
        // A bad record followed by good ones is not a torn tail but damage: cutting it off
        // would silently drop committed records.
        ch.close();
        throw new IOException(
            "corrupt record at byte " + badAt + " of " + file + " with committed records after it;"
                + " restore the file from a copy or move it aside to start empty");
      } else {
        if (keepRecords) {
          records.add(text);
        }
        good = i + 1;
      }
      start = i + 1;
    }
    long cut = size - good;
    if (cut > 0) {
      ch.truncate(good);
      ch.force(true);
    }
    ch.position(good);
    if (created && syncNewEntry) {
      // The new file's directory entry must survive a power loss, or its records vanish with it.
      syncDirectory(file.toAbsolutePath().getParent());
    }
    return new AppendLog(file, ch, records, cut, created);
  }

  /** The whole file through the channel that is open anyway; nothing to read for a new one. */
  private static byte[] readAll(FileChannel ch, long size, Path file) throws IOException {
    if (size > Integer.MAX_VALUE - 16) {
      ch.close();
      throw new IOException(file + " is larger than a log can be (" + size + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    while (buf.hasRemaining()) {
      if (ch.read(buf, buf.position()) < 0) {
        break;
      }
    }
    return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
  }

  /** Whether this open created the file. */
  public boolean created() {
    return created;
  }

  /**
   * What a log file holds, read without changing it: its good records, where damaged lines are,
   * and how many bytes of torn tail follow the last good record.
   *
   * @param records every record whose frame checks, oldest first
   * @param damagedAt byte offsets of lines whose frame does not check (before the last good one)
   * @param tornTailBytes bytes after the last good record that do not form a good record
   */
  public record Inspection(List<String> records, List<Long> damagedAt, long tornTailBytes) {
    public boolean clean() {
      return damagedAt.isEmpty() && tornTailBytes == 0;
    }
  }

  /** Reads a log without repairing it, for a coherency check. */
  public static Inspection inspect(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<String> records = new ArrayList<>();
    List<Long> damaged = new ArrayList<>();
    List<Long> pendingBad = new ArrayList<>();
    long good = 0;
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != '\n') {
        continue;
      }
      String text = verify(all, start, i);
      if (text == null) {
        pendingBad.add((long) start);
      } else {
        damaged.addAll(pendingBad);
        pendingBad.clear();
        records.add(text);
        good = i + 1;
      }
      start = i + 1;
    }
    return new Inspection(records, damaged, all.length - good);
  }

  /**
   * The last record that {@code wanted} accepts, read from the end of the log without reading the
   * rest: for a marker record appended after the records it vouches for, on a log too long to
   * read for it. Every line between it and the previous accepted record (or the file's start) must
   * check, and after it only a torn tail may follow; otherwise, or when no accepted record lies in
   * the last {@code maxBytes}, the answer is null and the caller reads the whole log.
   */
  public static String lastRecordMatching(Path file, java.util.function.Predicate<String> wanted, int maxBytes)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long limit = Math.min(size, maxBytes);
      for (long window = Math.min(limit, 64 << 10); ; window = Math.min(limit, window * 2)) {
        ByteBuffer buf = ByteBuffer.allocate((int) window);
        while (buf.hasRemaining() && ch.read(buf, size - window + buf.position()) >= 0) {
          // read until the window is full
        }
        byte[] tail = buf.array();
        boolean fromStart = window == size;
        // The first line of a window that does not start the file may be cut: only lines after it count.
        int first = 0;
        if (!fromStart) {
          while (first < tail.length && tail[first] != '\n') {
            first++;
          }
          first++;
        }
        String found = null;
        boolean seenGood = false;
        int end = tail.length;
        while (end > 0 && tail[end - 1] != '\n') {
          end--;
        }
        while (end > first) {
          int start = end - 1;
          while (start > first && tail[start - 1] != '\n') {
            start--;
          }
          String text = verify(tail, start, end - 1);
          if (found == null) {
            if (text == null && seenGood) {
              return null;
            }
            seenGood |= text != null;
            if (text != null && wanted.test(text)) {
              found = text;
            }
          } else if (text == null) {
            return null;
          } else if (wanted.test(text)) {
            return found;
          }
          end = start;
        }
        if (fromStart) {
          return found;
        }
        if (window >= limit) {
          return null;
        }
      }
    }
  }

  /** The records found when the log was opened, oldest first. */
  public List<String> recovered() {
    return recovered;
  }

  /** Bytes of torn tail cut off when the log was opened. */
  public long truncatedBytes() {
    return truncatedBytes;
  }

  /** Appends one record and forces it to disk. */
  public synchronized void append(String text) throws IOException {
    appendAll(List.of(text));
  }

  /** Appends records in order and forces them to disk with one sync. */
  public synchronized void appendAll(List<String> texts) throws IOException {
    write(texts);
    force();
  }

  /**
   * Writes records in order without forcing them: they are not committed until {@link #force}
   * returns. Readers of the file see them at once.
   *
   * @throws NothingWritten when the write failed and the file was put back as it was
   */
  public synchronized void write(List<String> texts) throws IOException {
    if (texts.isEmpty()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String t : texts) {
      if (t.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a record cannot contain a newline");
      }
      frameInto(t, out);
    }
    ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
    long start = channel.position();
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    } catch (IOException e) {
      // Part of a record may be in the file (a full disk takes what fits): cut it off, or the next
      // record would be glued to it and lost as a torn tail, or read as damage once more follow.
      IOException named = WriteFailure.naming(file, e);
      try {
        channel.truncate(start);
        channel.position(start);
      } catch (IOException cut) {
        named.addSuppressed(cut);
        throw named;
      }
      throw new NothingWritten(named);
    }
    unforced = true;
  }

  /**
   * A write that failed and left the file as it was before it: none of its records is there, so
   * whoever keeps the log's records in memory may go on (once the disk has room again).
   */
  public static final class NothingWritten extends IOException {
    NothingWritten(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Forces every record written so far to disk; nothing to do when all are forced already. */
  public synchronized void force() throws IOException {
    if (unforced) {
      try {
        channel.force(false);
      } catch (IOException e) {
        throw WriteFailure.naming(file, e);
      }
      unforced = false;
    }
  }

  /** The file behind this log. */
  public Path file() {
    return file;
  }

  /**
   * Replaces the whole log with {@code records} atomically (write a new file, sync, rename).
   * Used to compact: afterwards the log holds exactly these records.
   */
  public static void rewrite(Path file, List<String> records) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".compact");
    StringBuilder sb = new StringBuilder();
    for (String r : records) {
      sb.append(frame(r));
    }
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Makes renames and new entries in {@code dir} durable (Linux: fsync of the directory). */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static String frame(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frameInto(text, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static void frameInto(String text, ByteArrayOutputStream out) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    long v = crc.getValue();
    for (int shift = 28; shift >= 0; shift -= 4) {
      out.write(HEX[(int) (v >>> shift) & 0xf]);
    }
    out.write(' ');
    out.writeBytes(bytes);
    out.write('\n');
  }

  /** The record text of the framed line {@code all[from, to)}, or null when it is torn or corrupt. */
  private static String verify(byte[] all, int from, int to) {
    if (to - from < 9 || all[from + 8] != ' ') {
      return null;
    }
    long want = 0;
    for (int k = from; k < from + 8; k++) {
      int d = Character.digit(all[k], 16);
      if (d < 0) {
        return null;
      }
      want = (want << 4) | d;
    }
    CRC32C crc = new CRC32C();
    crc.update(all, from + 9, to - from - 9);
    return crc.getValue() == want ? new String(all, from + 9, to - from - 9, StandardCharsets.UTF_8) : null;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

}
