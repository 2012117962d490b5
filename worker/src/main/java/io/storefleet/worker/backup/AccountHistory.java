package io.storefleet.worker.backup;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
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
 */
public final class AccountHistory implements Closeable {
  private final String accountId;
  private final Path itemsPath;
  private AppendLog items;
  private final AppendLog snapshots;
  private final Map<Integer, ItemState> latest = new HashMap<>();
  private AccountSnapshot lastSnapshot;
  private long recordCount;
  private boolean closed;

  private AccountHistory(String accountId, Path itemsPath, AppendLog snapshots) {
    this.accountId = accountId;
    this.itemsPath = itemsPath;
    this.snapshots = snapshots;
  }

  /**
   * Opens an account's logs (cutting torn tails; failing on damage with committed records after
   * it). Only {@code account.log} is read now: whether an incremental scan can skip the account
   * is decided from it, so the item states are read on first use.
   */
  static AccountHistory open(String accountId, Path itemsLog, Path accountLog) throws IOException {
    AppendLog snaps = AppendLog.open(accountLog);
    AccountHistory h = new AccountHistory(accountId, itemsLog, snaps);
    for (String line : snaps.recovered()) {
      AccountSnapshot s = Json.decode(line, AccountSnapshot.class);
      h.lastSnapshot = s;
    }
    return h;
  }

  private void loadItems() throws IOException {
    if (items != null) {
      return;
    }
    AppendLog log = AppendLog.open(itemsPath);
    for (String line : log.recovered()) {
      ItemState s = Json.decode(line, ItemState.class);
      latest.put(s.id(), s);
      recordCount++;
    }
    items = log;
  }

  public String accountId() {
    return accountId;
  }

  public synchronized AccountSnapshot lastSnapshot() {
    return lastSnapshot;
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

  /** Appends item states with one sync. Their blobs must already be committed. */
  public synchronized void appendItems(Collection<ItemState> states) throws IOException {
    if (states.isEmpty()) {
      return;
    }
    loadItems();
    List<String> lines = new ArrayList<>(states.size());
    for (ItemState s : states) {
      lines.add(Json.encode(s));
    }
    items.appendAll(lines);
    for (ItemState s : states) {
      latest.put(s.id(), s);
    }
    recordCount += states.size();
  }

  public synchronized void appendSnapshot(AccountSnapshot s) throws IOException {
    snapshots.append(Json.encode(s));
    lastSnapshot = s;
  }

  Path itemsFile() {
    return itemsPath;
  }

  Path accountFile() {
    return snapshots.file();
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
      snapshots.close();
    }
  }
}
