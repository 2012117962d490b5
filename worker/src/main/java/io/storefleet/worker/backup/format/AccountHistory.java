package io.storefleet.worker.backup.format;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One account's backed-up history: its item states ({@code items.log}) and account snapshots
 * ({@code account.log}), with the latest state of each item kept in memory. Writers (scans, the
 * real-time scanner, purge) hold this object's monitor for a whole account commit, so that each
 * sees the other's records and the journal position they reflect.
 *
 * <p>Records are written only by {@link CommitOrder}, from an {@link AccountCommit}. A scan hands
 * its commit to a {@link GroupCommit} and lets go of the monitor before the records are written;
 * until that commit ends, the history is <em>in flight</em> and {@link BackupEngine#withHistory}
 * waits, so no other writer slips records in between.
 */
public final class AccountHistory implements Closeable {
  private final String accountId;
  private final Path itemsPath;
  private final Path accountPath;
  /** Null until read (items) or, for an account the backup does not have yet, until first written. */
  private AppendLog items;
  private AppendLog snapshots;
  private boolean itemsLoaded;
  private final Map<Integer, ItemState> latest = new HashMap<>();
  private AccountSnapshot lastSnapshot;
  /** The last snapshot's text until something needs it decoded. */
  private String lastSnapshotText;
  private SnapshotHead lastHead;
  /** The highest scan position in {@code items.log}, or -1; known once the item states are read. */
  private long position = -1;
  private long recordCount;
  private boolean closed;
  private volatile boolean inFlight;
  /** The engine's folders with new entries not yet synced (a new log, a new account folder). */
  private final FolderSyncs unsyncedFolders;

  private AccountHistory(String accountId, Path itemsPath, Path accountPath, FolderSyncs unsyncedFolders) {
    this.accountId = accountId;
    this.itemsPath = itemsPath;
    this.accountPath = accountPath;
    this.unsyncedFolders = unsyncedFolders;
  }

  /**
   * Opens an account's logs (cutting torn tails; failing on damage with committed records after
   * it). Only {@code account.log} is read now: whether an incremental scan can skip the account
   * is decided from it, so the item states are read on first use. The folder and logs of an
   * account the backup does not have yet are created by its first write, and synced by its first
   * commit: a scan creates them from its commit thread, not while other accounts are forced.
   */
  static AccountHistory open(String accountId, Path itemsLog, Path accountLog, FolderSyncs unsyncedFolders)
      throws IOException {
    AccountHistory h = new AccountHistory(accountId, itemsLog, accountLog, unsyncedFolders);
    if (Files.exists(accountLog)) {
      h.snapshots = AppendLog.open(accountLog);
      List<String> records = h.snapshots.recovered();
      // Only the last snapshot steers writers; the older ones are history for readers. It is
      // decoded when first needed: a scan that skips the account reads only its head.
      if (!records.isEmpty()) {
        h.lastSnapshotText = records.get(records.size() - 1);
      }
    }
    return h;
  }

  private void loadItems() throws IOException {
    if (itemsLoaded) {
      return;
    }
    if (Files.exists(itemsPath)) {
      AppendLog log = AppendLog.open(itemsPath);
      for (String line : log.recovered()) {
        if (ScanPosition.is(line)) {
          position = Math.max(position, ScanPosition.decode(line).seq());
          continue;
        }
        ItemState s = ItemStateLine.decode(line);
        latest.put(s.id(), s);
        recordCount++;
      }
      items = log;
    }
    itemsLoaded = true;
  }

  /**
   * Creates the account's folder and logs if they are missing; the folders that got new entries
   * are left to the engine's {@link FolderSyncs}, synced by the next commit.
   */
  public synchronized void createFiles() throws IOException {
    loadItems();
    if (snapshots != null && items != null) {
      return;
    }
    Path folder = accountPath.toAbsolutePath().getParent();
    for (Path p = folder; p != null && !Files.isDirectory(p); p = p.getParent()) {
      unsyncedFolders.add(p.getParent());
    }
    if (snapshots == null) {
      snapshots = AppendLog.open(accountPath, false);
      if (snapshots.created()) {
        unsyncedFolders.add(folder);
      }
    }
    if (items == null) {
      items = AppendLog.open(itemsPath, false);
      if (items.created()) {
        unsyncedFolders.add(folder);
      }
    }
  }

  /** Whether its account.log was there when opened or has been created since. */
  synchronized boolean hasFiles() {
    return snapshots != null;
  }

  public String accountId() {
    return accountId;
  }

  public synchronized AccountSnapshot lastSnapshot() {
    if (lastSnapshot == null && lastSnapshotText != null) {
      lastSnapshot = Json.decode(lastSnapshotText, AccountSnapshot.class);
      lastSnapshotText = null;
    }
    return lastSnapshot;
  }

  /** What decides whether a scan can skip the account, or null when it has no snapshot. */
  public synchronized SnapshotHead lastHead() {
    if (lastHead == null && lastSnapshotText != null) {
      lastHead = SnapshotHead.parse(lastSnapshotText);
    }
    if (lastHead == null && lastSnapshot() != null) {
      lastHead = SnapshotHead.of(lastSnapshot);
    }
    return lastHead;
  }

  /**
   * The last snapshot's head at the highest position a scan recorded since (a {@link ScanPosition}
   * in {@code items.log}), or null when it has no snapshot. Reads the item states.
   */
  public synchronized SnapshotHead currentHead() throws IOException {
    SnapshotHead head = lastHead();
    loadItems();
    return head == null || position <= head.seq() ? head : head.withSeq(position);
  }

  /**
   * The last scan position in {@code items.log}, read from the end of the file while the item
   * states are not loaded (a skip decision must not read a big mailbox's whole history), or -1
   * when there is none near the end: the caller then falls back to {@link #currentHead}.
   */
  public synchronized long lastPosition() throws IOException {
    if (itemsLoaded || !Files.exists(itemsPath)) {
      return position;
    }
    String last = AppendLog.lastRecordMatching(itemsPath, ScanPosition::is, POSITION_SEARCH_BYTES);
    return last == null ? -1 : ScanPosition.decode(last).seq();
  }

  /** How far from the end of items.log a skip decision looks for the last scan position. */
  private static final int POSITION_SEARCH_BYTES = 1 << 20;

  /** The journal position up to which the backup has everything of this account, or -1. */
  public synchronized long recordedUpTo() throws IOException {
    SnapshotHead head = currentHead();
    return head == null ? -1 : head.seq();
  }

  public synchronized ItemState latest(int itemId) throws IOException {
    loadItems();
    return latest.get(itemId);
  }

  public synchronized List<ItemState> latestStates() throws IOException {
    loadItems();
    return new ArrayList<>(latest.values());
  }

  public synchronized long recordCount() throws IOException {
    loadItems();
    return recordCount;
  }

  /**
   * Writes item states and, after them in the same write, a scan position (null: none), without
   * forcing them. The position must only be given when the last snapshot is still true at it.
   */
  synchronized void writeItems(Collection<ItemState> states, ScanPosition at) throws IOException {
    if (states.isEmpty() && at == null) {
      return;
    }
    createFiles();
    List<String> lines = new ArrayList<>(states.size() + 1);
    for (ItemState s : states) {
      lines.add(ItemStateLine.encode(s));
    }
    if (at != null) {
      lines.add(at.encode());
    }
    items.write(lines);
    for (ItemState s : states) {
      latest.put(s.id(), s);
    }
    recordCount += states.size();
    if (at != null) {
      position = Math.max(position, at.seq());
    }
  }

  void forceItems() throws IOException {
    AppendLog log;
    synchronized (this) {
      log = items;
    }
    if (log != null) {
      log.force();
    }
  }

  /** Writes a snapshot without forcing it (group commit: {@link #forceSnapshots} follows). */
  synchronized void writeSnapshot(AccountSnapshot s) throws IOException {
    createFiles();
    snapshots.write(List.of(Json.encode(s)));
    lastSnapshot = s;
    lastSnapshotText = null;
    lastHead = SnapshotHead.of(s);
  }

  void forceSnapshots() throws IOException {
    AppendLog log;
    synchronized (this) {
      log = snapshots;
    }
    if (log != null) {
      log.force();
    }
  }

  /** Marks a commit as handed to a group commit; the caller holds the monitor. */
  void beginCommit() {
    inFlight = true;
  }

  synchronized void endCommit() {
    inFlight = false;
    notifyAll();
  }

  boolean inFlight() {
    return inFlight;
  }

  /** Waits, with the monitor held, until no handed-over commit is in flight. */
  synchronized void awaitIdle() throws IOException {
    while (inFlight) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while account " + accountId + " was being committed");
      }
    }
  }

  Path itemsFile() {
    return itemsPath;
  }

  Path accountFile() {
    return accountPath;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    try {
      if (items != null) {
        items.close();
      }
    } finally {
      if (snapshots != null) {
        snapshots.close();
      }
    }
  }
}
