package io.storefleet.worker.backup.format;

import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.log.WriteFailure;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  /** The header before each entry's stored bytes ({@link PackEntry}). */
  public static final int HEADER = PackEntry.HEADER;
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
      p.indexLog = PackScan.rebuildIndex(dir, indexFile, damaged);
    }
    PackEntry.indexAll(p.indexLog.recovered(), p.index);
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
      lines = in.damagedAt().isEmpty() ? in.records() : PackScan.indexFromPacks(dir);
    }
    PackEntry.indexAll(lines, p.index);
    return p;
  }

  private void requireWritable(String what) {
    if (readOnly) {
      throw new IllegalStateException("cannot " + what + " in " + dir + ": its blobs were opened for reading");
    }
  }


  /** Cuts what a crash left past the index, keeping (and indexing) whole entries found there. */
  private long cutUncommittedTails() throws IOException {
    PackScan.Tails t = PackScan.cutTails(dir, packFiles(), index);
    nextPack = Math.max(nextPack, t.nextPack());
    if (!t.recovered().isEmpty()) {
      indexLog.appendAll(t.recovered());
    }
    return t.cut();
  }


  public List<Path> packFiles() throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".pack")).sorted().toList();
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

  /** The raw zstd dictionary new blobs are compressed with (a copy of its file), or null when none. */
  public byte[] dictionary() {
    return dictionaries.currentBytes();
  }

  /**
   * Makes {@code dict} (another path's {@link #dictionary}) this store's own dictionary, written
   * and synced into its {@code blobs/dictionaries/} before any blob is compressed with it. An
   * export adopts the server's dictionary this way instead of training one. Does nothing when
   * the store has a dictionary already or {@code dict} is null.
   *
   * @return whether it was installed
   */
  public boolean adoptDictionary(byte[] dict) throws IOException {
    requireWritable("store a dictionary");
    if (dict == null || dictionaries.any()) {
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
    long offset = append(PackEntry.encode(digest, rawSize, stored));
    pending.put(digest, new Location(currentName, offset, stored.length, rawSize));
    return true;
  }

  /** Writes a whole entry at the end of the current pack (a new one when it is full); returns its offset. */
  private long append(ByteBuffer entry) throws IOException {
    if (current == null || currentSize >= PACK_LIMIT) {
      rotate();
    }
    long offset = currentSize;
    // On a failure, what part of the entry got in is overwritten by the next one: currentSize stays.
    WriteFailure.writeAt(current, entry, currentSize, dir.resolve(currentName));
    currentSize += entry.limit();
    return offset;
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
    batch.forEach((d, l) -> lines.add(PackEntry.indexRecord(d, l)));
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
    return PackEntry.read(dir, l);
  }


  /**
   * Checks a stored blob (frame, checksum, decompression, digest) and returns its raw content.
   *
   * @throws DictionaryUnavailableException when its frame needs a dictionary the store lacks
   */
  public byte[] decode(String digest, Location l, byte[] stored) throws IOException {
    return PackEntry.decode(digest, l, stored, dictionaries);
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
    RepackPlan plan = RepackPlan.of(index, packFiles());
    Map<String, Location> moved = plan.moved();
    // Copy the live blobs of packs with dead space; their new locations are committed below.
    Map<String, Location> copies = new HashMap<>();
    for (Map.Entry<String, Location> e : moved.entrySet()) {
      long offset = append(ByteBuffer.wrap(readStored(e.getValue())));
      copies.put(e.getKey(), new Location(currentName, offset, e.getValue().length(), e.getValue().rawSize()));
    }
    if (current != null) {
      current.force(false);
    }
    index.putAll(copies);
    List<String> lines = new ArrayList<>(index.size());
    index.forEach((d, l) -> lines.add(PackEntry.indexRecord(d, l)));
    indexLog.close();
    AppendLog.rewrite(indexFile, lines);
    indexLog = AppendLog.open(indexFile);
    for (String name : plan.obsolete()) {
      Files.deleteIfExists(dir.resolve(name));
    }
    AppendLog.syncDirectory(dir);
    long after = 0;
    for (Path f : packFiles()) {
      after += Files.size(f);
    }
    return Math.max(0, plan.before() - after);
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
