package io.storefleet.worker.backup.format;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * An open backup path: its blob packs, its account histories (a bounded set kept open) and the
 * server-level logs. Writers that add records hold {@link #commitLock()}'s read side; purge and
 * coherency fixes, which take records and blobs away, hold its write side, so that nothing can
 * start referring to a blob while it is being removed.
 */
public final class BackupEngine implements Closeable {
  private static final int OPEN_HISTORIES = 256;

  private final BackupPath path;
  private final PathLock lock;
  /** Opened by {@link #openForReading}: account logs and server logs are not opened for writing. */
  private final boolean readOnly;
  private final BlobPacks blobs;
  private final BooleanSupplier bloblessMode;
  private final ReadWriteLock commitLock = new ReentrantReadWriteLock();
  private final Map<String, AccountHistory> histories = new LinkedHashMap<>(16, 0.75f, true);
  private final FolderSyncs unsyncedFolders = new FolderSyncs();
  private final LastRecords lastRecords = new LastRecords();
  private final DictionaryAttempts dictionaryAttempts = new DictionaryAttempts();
  private volatile GroupCommit.PhaseHook commitHook = GroupCommit.PhaseHook.NONE;
  private volatile GroupCommit.Limits groupLimits = GroupCommit.Limits.DEFAULT;
  /** Commits one account on the caller's thread; no test hook: crash tests stop group commits. */
  private final CommitOrder oneAccount = new CommitOrder(this, GroupCommit.PhaseHook.NONE, Runnable::run);

  private BackupEngine(BackupPath path, PathLock lock, BlobPacks blobs, BooleanSupplier bloblessMode, boolean readOnly) {
    this.path = path;
    this.lock = lock;
    this.readOnly = readOnly;
    this.blobs = blobs;
    this.bloblessMode = bloblessMode;
  }

  /**
   * Opens the backup path to write it, repairing uncommitted pack tails; refuses (CONFLICT) while
   * another engine, in this process or another, has it open ({@link PathLock}).
   */
  public static BackupEngine open(BackupPath path, BooleanSupplier bloblessMode) throws IOException {
    return open(path, bloblessMode, true);
  }

  /**
   * Opens the backup path to read it (an import or restore source, a query): other readers may
   * have it open too, a writer may not, and nothing in it is changed (see
   * {@link BlobPacks#openForReading}; account logs are read with {@link BackupHistoryReader}).
   */
  public static BackupEngine openForReading(BackupPath path, BooleanSupplier bloblessMode) throws IOException {
    return open(path, bloblessMode, false);
  }

  private static BackupEngine open(BackupPath path, BooleanSupplier bloblessMode, boolean writer) throws IOException {
    PathLock lock = PathLock.acquire(path.root(), path.serverId(), writer);
    try {
      BlobPacks blobs = writer ? BlobPacks.open(path.packsDir(), path.blobIndex(), path.dictionariesDir())
          : BlobPacks.openForReading(path.packsDir(), path.blobIndex(), path.dictionariesDir());
      return new BackupEngine(path, lock, blobs, bloblessMode, !writer);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  public BackupPath path() {
    return path;
  }

  public BlobPacks blobs() {
    return blobs;
  }

  /** When a scan samples the path's mail again for a dictionary it could not train yet. */
  public DictionaryAttempts dictionaryAttempts() {
    return dictionaryAttempts;
  }

  /** Whether new item states are recorded without their content (backupBloblessMode). */
  public boolean bloblessMode() {
    return bloblessMode.getAsBoolean();
  }

  public ReadWriteLock commitLock() {
    return commitLock;
  }

  /** Folders with new entries not synced yet, whatever history made them. */
  FolderSyncs unsyncedFolders() {
    return unsyncedFolders;
  }

  GroupCommit.PhaseHook commitHook() {
    return commitHook;
  }

  /** For tests: called after every phase of every group commit (see {@link GroupCommit}). */
  void commitHook(GroupCommit.PhaseHook hook) {
    commitHook = hook == null ? GroupCommit.PhaseHook.NONE : hook;
  }

  GroupCommit.Limits groupLimits() {
    return groupLimits;
  }

  /** For tests: smaller groups, so that a scan of a few accounts commits several. */
  void groupLimits(GroupCommit.Limits limits) {
    groupLimits = limits;
  }

  /**
   * An account's history, opened on first use. The files are read outside the map's lock, so
   * that scan threads opening different accounts do not wait for each other's reads; when two
   * threads open the same account at once, the first to come back wins and the other's copy is
   * closed unused (opening only reads, and cuts a torn tail the same way twice).
   */
  public AccountHistory history(String accountId) throws IOException {
    requireWritable();
    synchronized (histories) {
      AccountHistory h = histories.get(accountId);
      if (h != null) {
        return h;
      }
    }
    AccountHistory opened =
        AccountHistory.open(accountId, path.itemsLog(accountId), path.accountLog(accountId), unsyncedFolders);
    synchronized (histories) {
      AccountHistory h = histories.get(accountId);
      if (h != null) {
        closeQuietly(opened);
        return h;
      }
      histories.put(accountId, opened);
      if (histories.size() > OPEN_HISTORIES) {
        // A history whose commit is in flight stays open until the commit has written it.
        for (var it = histories.entrySet().iterator(); it.hasNext(); ) {
          AccountHistory eldest = it.next().getValue();
          if (eldest != opened && !eldest.inFlight()) {
            it.remove();
            closeQuietly(eldest);
            break;
          }
        }
      }
      return opened;
    }
  }

  /** Work done on one account's history while holding it, so no other writer interleaves. */
  @FunctionalInterface
  public interface HistoryWork<T> {
    T run(AccountHistory history) throws IOException;
  }

  /**
   * Runs {@code work} holding the account's history, once no commit of it is in flight. A history
   * evicted from the open set between lookup and lock is looked up again, so work never writes
   * through a closed log.
   */
  public <T> T withHistory(String accountId, HistoryWork<T> work) throws IOException {
    while (true) {
      AccountHistory h = history(accountId);
      synchronized (h) {
        h.awaitIdle();
        if (!h.isClosed()) {
          return work.run(h);
        }
      }
    }
  }

  /**
   * Commits one account's records now, on this thread, in the order of docs/backup-format.md
   * ("Commit order"; {@link CommitOrder}): every writer but a scan's accounts, which go through a
   * {@link GroupCommit}. The caller holds the account's history ({@link #withHistory}).
   *
   * @throws IOException what failed; nothing after the failed phase was written
   */
  public void commit(AccountCommit c) throws IOException {
    requireWritable();
    if (c.empty()) {
      blobs.sync();
      return;
    }
    List<GroupCommit.Failure> failed = oneAccount.commit(List.of(c));
    if (!failed.isEmpty()) {
      throw failed.get(0).error();
    }
  }

  /** A group commit for a scan: its own thread, which commits what the scan hands over. */
  public GroupCommit groupCommit() {
    requireWritable();
    return new GroupCommit(this);
  }

  /** Whether the backup has anything for this account. */
  public boolean knows(String accountId) {
    synchronized (histories) {
      AccountHistory h = histories.get(accountId);
      if (h != null && h.hasFiles()) {
        return true;
      }
    }
    return Files.exists(path.accountLog(accountId)) || Files.exists(path.itemsLog(accountId));
  }

  /** Closes every open history so that the next use reads the files again (after a rewrite). */
  public void forgetHistories() {
    synchronized (histories) {
      histories.values().forEach(BackupEngine::closeQuietly);
      histories.clear();
    }
  }

  public void forget(String accountId) {
    synchronized (histories) {
      AccountHistory h = histories.remove(accountId);
      if (h != null) {
        closeQuietly(h);
      }
    }
  }

  /** Ids of the accounts the backup has a folder for, other than {@code known} (no lookup of those). */
  public List<String> accountIdsOtherThan(java.util.Set<String> known) throws IOException {
    Path dir = path.accountsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (var s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String id = p.getFileName().toString();
        if (!known.contains(id) && Files.isDirectory(p)) {
          out.add(id);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Ids of every account the backup has a folder for. */
  public List<String> accountIds() throws IOException {
    Path dir = path.accountsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every record of a server-level log, decoded. */
  public <T> List<T> serverRecords(Path log, Class<T> type) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    // Read-only: a query must never repair (truncate) what it reads, least of all a file an
    // operator pointed it at.
    List<T> out = new ArrayList<>();
    for (String s : AppendLog.inspect(log).records()) {
      try {
        out.add(Json.decode(s, type));
      } catch (RuntimeException e) {
        throw new IOException(log + " does not hold " + type.getSimpleName() + " records: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Appends a server-level record unless it says the same as the last one. */
  public synchronized <T> boolean appendIfChanged(Path log, T record, Class<T> type, java.util.function.BiPredicate<T, T> same)
      throws IOException {
    requireWritable();
    T known = lastRecords.get(log, type);
    if (known != null && same.test(record, known)) {
      return false;
    }
    try (AppendLog l = AppendLog.open(log)) {
      List<String> r = l.recovered();
      T last = r.isEmpty() ? null : Json.decode(r.get(r.size() - 1), type);
      if (last != null && same.test(record, last)) {
        lastRecords.remember(log, last);
        return false;
      }
      lastRecords.forget(log);
      l.append(Json.encode(record));
      lastRecords.remember(log, record);
      return true;
    }
  }

  public synchronized void appendServerRecord(Path log, Object record) throws IOException {
    requireWritable();
    lastRecords.forget(log);
    try (AppendLog l = AppendLog.open(log)) {
      l.append(Json.encode(record));
    }
  }

  /** Opening an account's logs repairs them: an engine opened for reading reads them with BackupHistoryReader. */
  private void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("backup path " + path.root() + " was opened for reading; read its account logs"
          + " with BackupHistoryReader");
    }
  }

  private static void closeQuietly(AccountHistory h) {
    try {
      h.close();
    } catch (IOException e) {
      // Its records were all synced when appended; a failing close loses nothing.
    }
  }

  @Override
  public void close() throws IOException {
    try {
      forgetHistories();
      blobs.close();
    } finally {
      lock.close();
    }
  }
}
