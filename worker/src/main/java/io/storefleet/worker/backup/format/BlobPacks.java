package io.storefleet.worker.backup.format;

import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The blobs of a backup path: zstd-compressed contents appended to pack files, found through
 * {@code index.log}. A blob is <b>committed</b> once its pack bytes are forced to disk and its
 * index line is appended; metadata naming a blob is written only after that, so a committed
 * record never names a blob that is not there.
 *
 * <p>One pack is written at a time and only ever appended to. A crash can leave pack bytes that
 * no index line names; opening cuts them off (they were never committed), so every byte of every
 * pack belongs to an indexed blob or to one that purge or a coherency fix took out of the index.
 */
public final class BlobPacks implements Closeable {
  static final int MAGIC = 0x53464231; // "SFB1"
  /** magic, SHA-256, raw size, stored length, CRC-32C of the stored bytes. */
  public static final int HEADER = 4 + 32 + 8 + 4 + 4;
  static final long PACK_LIMIT = 64L << 20;

  /** Where a blob is: pack file name, header offset, stored (compressed) length, raw size. */
  public record Location(String pack, long offset, int length, long rawSize) {
    long end() {
      return offset + HEADER + length;
    }
  }

  private final Path dir;
  private final Path indexFile;
  private final BlobDictionaries dictionaries;
  private final Map<String, Location> index = new HashMap<>();
  private final Map<String, Location> pending = new LinkedHashMap<>();
  /** Held by whoever commits blobs, before the monitor: one commit at a time, puts go on. */
  private final Object commitLock = new Object();
  /** Packs rotated away from since the last commit: already forced, closed by the next commit. */
  private final List<FileChannel> retired = new ArrayList<>();
  private AppendLog indexLog;
  private FileChannel current;
  private String currentName;
  private long currentSize;
  private int nextPack;
  private long repairedBytes;
  /** Opened by {@link #openForReading}: nothing may be written. */
  private boolean readOnly;

  private BlobPacks(Path dir, Path indexFile, BlobDictionaries dictionaries) {
    this.dir = dir;
    this.indexFile = indexFile;
    this.dictionaries = dictionaries;
  }

  /** Opens the blob store, cutting off pack bytes that no committed index line names. */
  static BlobPacks open(Path dir, Path indexFile, Path dictionaryDir) throws IOException {
    Files.createDirectories(dir);
    BlobPacks p = new BlobPacks(dir, indexFile, BlobDictionaries.open(dictionaryDir));
    try {
      p.indexLog = AppendLog.open(indexFile);
    } catch (IOException damaged) {
      p.indexLog = rebuildIndex(dir, indexFile, damaged);
    }
    p.indexAll(p.indexLog.recovered());
    p.repairedBytes = p.indexLog.truncatedBytes() + p.cutUncommittedTails();
    return p;
  }

  /**
   * Opens the blob store to read it only, for an engine that reads another path (an import or
   * restore source, a query): nothing is cut, rebuilt or created, so a reader never changes what
   * it reads. Pack bytes past the index are ignored; a damaged index is rebuilt in memory only.
   */
  static BlobPacks openForReading(Path dir, Path indexFile, Path dictionaryDir) throws IOException {
    BlobPacks p = new BlobPacks(dir, indexFile, BlobDictionaries.open(dictionaryDir));
    p.readOnly = true;
    List<String> lines = List.of();
    if (Files.exists(indexFile)) {
      AppendLog.Inspection in = AppendLog.inspect(indexFile);
      lines = in.damagedAt().isEmpty() ? in.records() : indexFromPacks(dir);
    }
    p.indexAll(lines);
    return p;
  }

  /** Reads index records, the format {@link #line} writes. */
  private void indexAll(List<String> lines) {
    for (String line : lines) {
      String[] f = line.split(" ");
      index.put(f[0], new Location(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4])));
    }
  }

  private void requireWritable(String what) {
    if (readOnly) {
      throw new IllegalStateException("cannot " + what + " in " + dir + ": its blobs were opened for reading");
    }
  }

  /**
   * A damaged index would hide blobs that metadata names, and cutting "unindexed" pack bytes
   * would then destroy them. Packs describe themselves, so the index is rebuilt from every whole,
   * checksummed entry; the damaged file is kept beside it.
   */
  private static AppendLog rebuildIndex(Path dir, Path indexFile, IOException why) throws IOException {
    System.getLogger(BlobPacks.class.getName()).log(System.Logger.Level.WARNING,
        "blob index " + indexFile + " is damaged (" + why.getMessage() + "); rebuilding it from the packs");
    Files.copy(indexFile, indexFile.resolveSibling("index.log.damaged-" + System.currentTimeMillis()));
    AppendLog.rewrite(indexFile, indexFromPacks(dir));
    return AppendLog.open(indexFile);
  }

  /** The index lines of every whole, checksummed entry of every pack, first copy of a digest wins. */
  private static List<String> indexFromPacks(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    Set<String> seen = new HashSet<>();
    try (var s = Files.list(dir)) {
      for (Path f : s.filter(x -> x.getFileName().toString().endsWith(".pack")).sorted().toList()) {
        for (Found e : scanPack(f, 0, new long[1])) {
          if (seen.add(e.digest())) {
            lines.add(line(e.digest(), e.location()));
          }
        }
      }
    }
    return lines;
  }

  /** A whole, checksummed entry found by reading a pack itself. */
  private record Found(String digest, Location location) {}

  /**
   * Reads entries from {@code from} on; a damaged stretch is skipped to the next entry whose
   * header and checksum hold, so one bad entry does not hide the good ones after it.
   *
   * @return the entries found, and in {@code end[0]} the end of the last one
   */
  private static List<Found> scanPack(Path f, long from, long[] end) throws IOException {
    byte[] all = Files.readAllBytes(f);
    List<Found> out = new ArrayList<>();
    String name = f.getFileName().toString();
    int pos = (int) from;
    end[0] = from;
    while (pos + HEADER <= all.length) {
      ByteBuffer b = ByteBuffer.wrap(all, pos, all.length - pos);
      if (b.getInt() == MAGIC) {
        byte[] sha = new byte[32];
        b.get(sha);
        long raw = b.getLong();
        int len = b.getInt();
        int crc = b.getInt();
        if (len >= 0 && raw >= 0 && len <= b.remaining()) {
          byte[] z = new byte[len];
          b.get(z);
          if (crc(z) == crc) {
            out.add(new Found(HexFormat.of().formatHex(sha), new Location(name, pos, len, raw)));
            pos += HEADER + len;
            end[0] = pos;
            continue;
          }
        }
      }
      pos++;
    }
    return out;
  }

  private long cutUncommittedTails() throws IOException {
    Map<String, Long> extent = new HashMap<>();
    for (Location l : index.values()) {
      extent.merge(l.pack(), l.end(), Math::max);
    }
    long cut = 0;
    List<String> recovered = new ArrayList<>();
    for (Path f : packFiles()) {
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
      for (Found e : scanPack(f, keep, end)) {
        if (!index.containsKey(e.digest())) {
          index.put(e.digest(), e.location());
          recovered.add(line(e.digest(), e.location()));
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
    if (!recovered.isEmpty()) {
      indexLog.appendAll(recovered);
    }
    if (cut > 0) {
      AppendLog.syncDirectory(dir);
    }
    return cut;
  }

  public List<Path> packFiles() throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".pack")).sorted().toList();
    }
  }

  private static int packNumber(String name) {
    try {
      return Integer.parseInt(name.substring(0, name.indexOf('.')));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Uncommitted bytes removed when the store was opened. */
  public long repairedBytes() {
    return repairedBytes;
  }

  public synchronized boolean has(String digest) {
    return index.containsKey(digest) || pending.containsKey(digest);
  }

  public synchronized int count() {
    return index.size();
  }

  public synchronized Map<String, Location> committed() {
    return new HashMap<>(index);
  }

  /** The total stored (compressed) bytes of every committed blob. */
  public synchronized long storedBytes() {
    long n = 0;
    for (Location l : index.values()) {
      n += HEADER + l.length();
    }
    return n;
  }

  /** Compresses content as a blob of this store: with its dictionary, when it has one. */
  public byte[] compress(byte[] raw) {
    return BlobCodec.compress(raw, dictionaries.current());
  }

  /** Whether new blobs are compressed with a dictionary. */
  public boolean hasDictionary() {
    return dictionaries.any();
  }

  /**
   * Trains a dictionary on {@code samples} of content and makes it the one new blobs are
   * compressed with (written and synced first). Does nothing when the store has one already.
   *
   * @return whether a dictionary was installed; false also when the samples are too few
   */
  public boolean trainDictionary(List<byte[]> samples) throws IOException {
    requireWritable("store a dictionary");
    if (dictionaries.any()) {
      return false;
    }
    byte[] dict = BlobCodec.trainDictionary(samples);
    if (dict == null) {
      return false;
    }
    dictionaries.install(dict);
    return true;
  }

  /** Dictionaries found damaged when the store was opened, by file name, with why. */
  public Map<String, String> unusableDictionaries() {
    return dictionaries.unusable();
  }

  /**
   * Appends a compressed blob unless the store has it; it is committed by the next {@link #sync}.
   *
   * @return whether it was new
   */
  public synchronized boolean put(String digest, long rawSize, byte[] stored) throws IOException {
    requireWritable("store a blob");
    if (has(digest)) {
      return false;
    }
    if (current == null || currentSize >= PACK_LIMIT) {
      rotate();
    }
    ByteBuffer buf = ByteBuffer.allocate(HEADER + stored.length);
    buf.putInt(MAGIC).put(HexFormat.of().parseHex(digest)).putLong(rawSize).putInt(stored.length).putInt(crc(stored));
    buf.put(stored).flip();
    long offset = currentSize;
    while (buf.hasRemaining()) {
      current.write(buf, currentSize + buf.position());
    }
    currentSize += HEADER + stored.length;
    pending.put(digest, new Location(currentName, offset, stored.length, rawSize));
    return true;
  }

  private void rotate() throws IOException {
    if (current != null) {
      // A commit may be forcing this channel outside the monitor right now; it is closed after.
      current.force(false);
      retired.add(current);
    }
    currentName = String.format("%08d.pack", nextPack++);
    current = FileChannel.open(dir.resolve(currentName), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    currentSize = 0;
    AppendLog.syncDirectory(dir);
  }

  /**
   * Commits every blob put so far: forces the pack, then appends their index lines with one sync.
   * The force runs outside the monitor, so other threads keep putting blobs meanwhile; what they
   * put after the commit started is left for the next one.
   */
  public void sync() throws IOException {
    synchronized (commitLock) {
      Map<String, Location> batch;
      FileChannel pack;
      List<FileChannel> old;
      synchronized (this) {
        if (pending.isEmpty()) {
          closeRetired();
          return;
        }
        batch = new LinkedHashMap<>(pending);
        pack = current;
        old = new ArrayList<>(retired);
        retired.clear();
      }
      // Every blob of the batch is in this pack or in one rotated away from, which was forced
      // when it was rotated away from.
      pack.force(false);
      for (FileChannel c : old) {
        c.close();
      }
      commitIndex(batch);
    }
  }

  /** Commits pending blobs with the monitor held (purge, close): nobody is putting then. */
  private void syncHeld() throws IOException {
    if (!pending.isEmpty()) {
      current.force(false);
      commitIndex(new LinkedHashMap<>(pending));
    }
    closeRetired();
  }

  private void commitIndex(Map<String, Location> batch) throws IOException {
    List<String> lines = new ArrayList<>(batch.size());
    batch.forEach((d, l) -> lines.add(line(d, l)));
    indexLog.appendAll(lines);
    synchronized (this) {
      index.putAll(batch);
      pending.keySet().removeAll(batch.keySet());
    }
  }

  private synchronized void closeRetired() throws IOException {
    for (FileChannel c : retired) {
      c.close();
    }
    retired.clear();
  }

  private static String line(String digest, Location l) {
    return digest + " " + l.pack() + " " + l.offset() + " " + l.length() + " " + l.rawSize();
  }

  /** A blob's raw content, checked against its digest. */
  public byte[] read(String digest) throws IOException {
    Location l;
    synchronized (this) {
      l = index.containsKey(digest) ? index.get(digest) : pending.get(digest);
    }
    if (l == null) {
      throw new CorruptBlobException(digest, "not in the backup's blob index");
    }
    return decode(digest, l, readStored(l));
  }

  /** The stored bytes of a blob (header and compressed content), unchecked. */
  public byte[] readStored(Location l) throws IOException {
    Path f = dir.resolve(l.pack());
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(HEADER + l.length());
      while (buf.hasRemaining()) {
        if (ch.read(buf, l.offset() + buf.position()) < 0) {
          break;
        }
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("pack " + f + " is missing", e);
    }
  }

  /**
   * Checks a stored blob (frame, checksum, decompression, digest) and returns its raw content.
   *
   * @throws DictionaryUnavailableException when its frame needs a dictionary the store lacks
   */
  public byte[] decode(String digest, Location l, byte[] stored) throws IOException {
    if (stored.length < HEADER + l.length()) {
      throw new CorruptBlobException(digest, "truncated in " + l.pack() + " at " + l.offset());
    }
    ByteBuffer b = ByteBuffer.wrap(stored);
    byte[] sha = new byte[32];
    if (b.getInt() != MAGIC) {
      throw new CorruptBlobException(digest, "bad frame marker in " + l.pack() + " at " + l.offset());
    }
    b.get(sha);
    long raw = b.getLong();
    int len = b.getInt();
    int crc = b.getInt();
    if (!HexFormat.of().formatHex(sha).equals(digest) || raw != l.rawSize() || len != l.length()) {
      throw new CorruptBlobException(digest, "frame header does not match the index in " + l.pack() + " at " + l.offset());
    }
    byte[] z = new byte[len];
    b.get(z);
    if (crc(z) != crc) {
      throw new CorruptBlobException(digest, "checksum mismatch in " + l.pack() + " at " + l.offset());
    }
    long dictId = BlobCodec.dictionaryId(z);
    var dict = dictId == 0 ? null : dictionaries.forId(dictId);
    byte[] content;
    try {
      content = BlobCodec.decompress(z, raw, dict);
    } catch (RuntimeException e) {
      throw new CorruptBlobException(digest, "does not decompress: " + e.getMessage());
    }
    if (content.length != raw || !BlobCodec.sha256(content).equals(digest)) {
      throw new CorruptBlobException(digest, "content does not match its digest");
    }
    return content;
  }

  static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes);
    return (int) c.getValue();
  }

  /**
   * Takes blobs out of the index (purge of unreferenced blobs, coherency fix of corrupt ones),
   * then rewrites packs so that their space is given back: packs left with no indexed blob are
   * deleted, packs with dead space have their live blobs copied to a new pack first. The index is
   * replaced atomically between the copy and the deletes, so a crash at any point leaves every
   * indexed blob readable; leftovers are cut off by the next open.
   *
   * @return the stored bytes given back
   */
  public long remove(Collection<String> digests) throws IOException {
    requireWritable("remove blobs");
    synchronized (commitLock) {
      synchronized (this) {
        return removeHeld(digests);
      }
    }
  }

  private long removeHeld(Collection<String> digests) throws IOException {
    syncHeld();
    // The pack being written is treated like the others: the next put starts a new one.
    if (current != null) {
      current.close();
      current = null;
      currentName = null;
    }
    Set<String> gone = new HashSet<>(digests);
    index.keySet().removeAll(gone);
    Map<String, Long> live = new HashMap<>();
    for (Location l : index.values()) {
      live.merge(l.pack(), (long) HEADER + l.length(), Long::sum);
    }
    long before = 0;
    List<String> rewrite = new ArrayList<>();
    List<String> drop = new ArrayList<>();
    for (Path f : packFiles()) {
      String name = f.getFileName().toString();
      long size = Files.size(f);
      before += size;
      long used = live.getOrDefault(name, 0L);
      if (used == 0) {
        drop.add(name);
      } else if (used < size) {
        rewrite.add(name);
      }
    }
    Map<String, Location> moved = new TreeMap<>();
    for (Map.Entry<String, Location> e : index.entrySet()) {
      if (rewrite.contains(e.getValue().pack())) {
        moved.put(e.getKey(), e.getValue());
      }
    }
    // Copy the live blobs of packs with dead space; their new locations are committed below.
    Map<String, Location> copies = new HashMap<>();
    for (Map.Entry<String, Location> e : moved.entrySet()) {
      byte[] stored = readStored(e.getValue());
      if (current == null || currentSize >= PACK_LIMIT) {
        rotate();
      }
      long offset = currentSize;
      ByteBuffer buf = ByteBuffer.wrap(stored);
      while (buf.hasRemaining()) {
        current.write(buf, currentSize + buf.position());
      }
      currentSize += stored.length;
      copies.put(e.getKey(), new Location(currentName, offset, e.getValue().length(), e.getValue().rawSize()));
    }
    if (current != null) {
      current.force(false);
    }
    index.putAll(copies);
    List<String> lines = new ArrayList<>(index.size());
    index.forEach((d, l) -> lines.add(line(d, l)));
    indexLog.close();
    AppendLog.rewrite(indexFile, lines);
    indexLog = AppendLog.open(indexFile);
    drop.addAll(rewrite);
    for (String name : drop) {
      Files.deleteIfExists(dir.resolve(name));
    }
    AppendLog.syncDirectory(dir);
    long after = 0;
    for (Path f : packFiles()) {
      after += Files.size(f);
    }
    return Math.max(0, before - after);
  }

  @Override
  public void close() throws IOException {
    if (readOnly) {
      return;
    }
    synchronized (commitLock) {
      synchronized (this) {
        syncHeld();
        if (current != null) {
          current.close();
          current = null;
        }
        indexLog.close();
      }
    }
  }
}
