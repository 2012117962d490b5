package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.format.BlobPacks.Location;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads packs themselves, entry by entry, for what the index cannot tell: the blobs past the last
 * indexed entry after a crash, and the whole index when {@code index.log} is damaged
 * (docs/backup-format.md, "Opening").
 */
final class PackScan {
  private PackScan() {}
  /**
   * A damaged index would hide blobs that metadata names, and cutting "unindexed" pack bytes
   * would then destroy them. Packs describe themselves, so the index is rebuilt from every whole,
   * checksummed entry; the damaged file is kept beside it.
   */
  static AppendLog rebuildIndex(Path dir, Path indexFile, IOException why) throws IOException {
    System.getLogger(BlobPacks.class.getName()).log(System.Logger.Level.WARNING,
        "blob index " + indexFile + " is damaged (" + why.getMessage() + "); rebuilding it from the packs");
    Files.copy(indexFile, indexFile.resolveSibling("index.log.damaged-" + System.currentTimeMillis()));
    AppendLog.rewrite(indexFile, indexFromPacks(dir));
    return AppendLog.open(indexFile);
  }

  /** The index lines of every whole, checksummed entry of every pack, first copy of a digest wins. */
  static List<String> indexFromPacks(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    Set<String> seen = new HashSet<>();
    try (var s = Files.list(dir)) {
      for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".pack")).sorted().toList()) {
        for (Found e : scan(f, 0, new long[1])) {
          if (seen.add(e.digest())) {
            lines.add(PackEntry.indexRecord(e.digest(), e.location()));
          }
        }
      }
    }
    return lines;
  }

  /** A whole, checksummed entry found by reading a pack itself. */
  record Found(String digest, Location location) {}

  /**
   * Reads entries from {@code from} on; a damaged stretch is skipped to the next entry whose
   * header and checksum hold, so one bad entry does not hide the good ones after it.
   *
   * @return the entries found, and in {@code end[0]} the end of the last one
   */
  static List<Found> scan(Path f, long from, long[] end) throws IOException {
    byte[] all = Files.readAllBytes(f);
    List<Found> out = new ArrayList<>();
    String name = f.getFileName().toString();
    int pos = (int) from;
    end[0] = from;
    while (pos + PackEntry.HEADER <= all.length) {
      ByteBuffer b = ByteBuffer.wrap(all, pos, all.length - pos);
      if (b.getInt() == PackEntry.MAGIC) {
        byte[] sha = new byte[32];
        b.get(sha);
        long raw = b.getLong();
        int len = b.getInt();
        int crc = b.getInt();
        if (len >= 0 && raw >= 0 && len <= b.remaining()) {
          byte[] z = new byte[len];
          b.get(z);
          if (PackEntry.crc(z) == crc) {
            out.add(new Found(HexFormat.of().formatHex(sha), new Location(name, pos, len, raw)));
            pos += PackEntry.HEADER + len;
            end[0] = pos;
            continue;
          }
        }
      }
      pos++;
    }
    return out;
  }

  /** What {@link #cutTails} found: index records for whole entries past the index, bytes cut, the next pack number. */
  record Tails(List<String> recovered, long cut, int nextPack) {}

  /**
   * Reads every pack past the end of its last indexed entry: whole entries found there are added
   * to {@code index} (and returned as records to append), only the bytes after the last whole
   * entry are truncated (a pack with none is deleted), then the packs folder is synced.
   */
  static Tails cutTails(Path dir, List<Path> packs, Map<String, Location> index) throws IOException {
    int nextPack = 0;
    Map<String, Long> extent = new HashMap<>();
    for (Location l : index.values()) {
      extent.merge(l.pack(), l.end(), Math::max);
    }
    long cut = 0;
    List<String> recovered = new ArrayList<>();
    for (Path f : packs) {
      String name = f.getFileName().toString();
      nextPack = Math.max(nextPack, packNumber(name) + 1);
      long keep = extent.getOrDefault(name, 0L);
      long size = Files.size(f);
      if (size <= keep) {
        continue;
      }
      // Whole entries past the index are kept and indexed: a lost or damaged index line must not
      // take a blob's bytes with it. Only what is not a whole entry is cut.
      long[] end = new long[1];
      for (Found e : scan(f, keep, end)) {
        if (!index.containsKey(e.digest())) {
          index.put(e.digest(), e.location());
          recovered.add(PackEntry.indexRecord(e.digest(), e.location()));
        }
      }
      keep = Math.max(keep, end[0]);
      if (size > keep) {
        cut += size - keep;
        if (keep == 0) {
          Files.delete(f);
        } else {
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(keep);
            ch.force(true);
          }
        }
      }
    }
    if (cut > 0) {
      AppendLog.syncDirectory(dir);
    }
    return new Tails(recovered, cut, nextPack);
  }
  private static int packNumber(String name) {
    try {
      return Integer.parseInt(name.substring(0, name.indexOf('.')));
    } catch (RuntimeException e) {
      return 0;
    }
  }}
