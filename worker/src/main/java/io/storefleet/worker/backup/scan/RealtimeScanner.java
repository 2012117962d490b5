package io.storefleet.worker.backup.scan;

import io.storefleet.worker.backup.format.AccountCommit;
import io.storefleet.worker.backup.format.AccountHistory;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.RealtimeCursor;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.service.WorkerService;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.Mutation;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows the store's change journal and records every item mutation as its own state, dated with
 * the mutation's time. Its position is {@code server/realtime.log}; each account's history also
 * knows the last journal position it reflects, and an entry at or below it is skipped. That makes
 * replay idempotent: after a crash, a stop, or a scan that got there first, nothing is recorded
 * twice and nothing is skipped.
 *
 * <p>The journal listener only wakes the scanner's own thread; the store calls listeners under
 * its lock, and the scanner reads the store.
 */
public final class RealtimeScanner implements WorkerService {
  public static final String NAME = "realtime-scanner";
  private static final System.Logger LOG = System.getLogger(RealtimeScanner.class.getName());
  private static final int BATCH = 1000;
  private static final Set<Mutation> PROVISIONING = EnumSet.of(Mutation.DOMAIN_CREATED, Mutation.DOMAIN_DELETED,
      Mutation.COS_CREATED, Mutation.COS_UPDATED, Mutation.COS_DELETED, Mutation.DL_CREATED, Mutation.DL_DELETED);

  private final MailStore store;
  private final BackupEngine engine;
  private final Clock clock;
  private final Object wake = new Object();
  private final RealtimeCursor cursorLog;
  private long cursor;
  private boolean signalled;
  private volatile boolean running;
  private Thread thread;

  public RealtimeScanner(MailStore store, BackupEngine engine, Clock clock) throws IOException {
    this.store = store;
    this.engine = engine;
    this.clock = clock;
    this.cursorLog = RealtimeCursor.open(engine);
    this.cursor = cursorLog.position();
    store.addListener(e -> {
      if (running) {
        synchronized (wake) {
          signalled = true;
          wake.notifyAll();
        }
      }
    });
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "records every mailbox change from the store's journal as it happens";
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    signalled = true;
    thread = new Thread(this::loop, "storefleet-realtime-scanner");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
      thread = null;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean running() {
    return running;
  }

  /** The last journal position whose entries are all recorded. */
  public synchronized long cursor() {
    return cursor;
  }

  private void loop() {
    while (running) {
      synchronized (wake) {
        while (!signalled && running) {
          try {
            wake.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        signalled = false;
      }
      try {
        catchUp();
      } catch (IOException | RuntimeException e) {
        // The journal keeps the entries; the next change, or the next SmartScan, retries them.
        LOG.log(System.Logger.Level.WARNING, "real-time scanner could not record journal entries after "
            + cursor + ": " + e.getMessage(), e);
      }
    }
  }

  /** Records every journal entry after the cursor; returns how many entries it read. */
  public synchronized long catchUp() throws IOException {
    long read = 0;
    while (true) {
      List<JournalEntry> batch = store.journal(cursor + 1, BATCH);
      if (batch.isEmpty()) {
        return read;
      }
      apply(batch);
      read += batch.size();
      cursor = batch.get(batch.size() - 1).seq();
      saveCursor();
    }
  }

  private void saveCursor() throws IOException {
    cursorLog.save(cursor);
  }


  private void apply(List<JournalEntry> batch) throws IOException {
    Map<String, List<JournalEntry>> byAccount = new LinkedHashMap<>();
    boolean provisioning = false;
    for (JournalEntry e : batch) {
      if (e.accountId() == null || PROVISIONING.contains(e.type())) {
        provisioning = true;
      } else {
        byAccount.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
      }
    }
    Set<String> disabledCos = CosBackupMarker.disabledNames(store);
    engine.commitLock().readLock().lock();
    try {
      for (Map.Entry<String, List<JournalEntry>> a : byAccount.entrySet()) {
        Optional<Account> acc = store.account(a.getKey());
        if (acc.isPresent() && disabledCos.contains(acc.get().cos().toLowerCase(Locale.ROOT))) {
          continue;
        }
        try {
          engine.withHistory(a.getKey(), h -> applyAccount(h, acc, a.getValue()));
        } catch (IOException damaged) {
          // One account's damaged log must not stop the others; the SmartScan meets the same
          // damage, reports it and starts a coherency check.
          LOG.log(System.Logger.Level.WARNING, "real-time scanner skipped account " + a.getKey()
              + " (its backup logs are damaged): " + damaged.getMessage());
        }
      }
      if (provisioning) {
        long seq = batch.get(batch.size() - 1).seq();
        engine.appendIfChanged(engine.path().provisioningLog(),
            new ProvisioningSnapshot(store.domains(), store.coses(), store.distributionLists(), seq, clock.instant()),
            ProvisioningSnapshot.class, ProvisioningSnapshot::sameAs);
      }
    } finally {
      engine.commitLock().readLock().unlock();
    }
  }

  private int applyAccount(AccountHistory h, Optional<Account> account, List<JournalEntry> entries) throws IOException {
    // Two guards make replay idempotent: the account's backup position, its snapshot's or a later
    // scan position (everything up to it is recorded), and each item's own last state (a crash
    // between an account's item states and its snapshot, or a partial multi-line append, leaves
    // items that already reflect an entry).
    long applied = Math.max(0, h.recordedUpTo());
    boolean blobless = engine.bloblessMode();
    BlobPacks blobs = engine.blobs();
    Map<Integer, ItemState> working = new HashMap<>();
    List<ItemState> out = new ArrayList<>();
    String uncertain = null;
    boolean deleted = false;
    boolean accountLevel = false;
    long last = -1;
    for (JournalEntry e : entries) {
      if (e.seq() <= applied) {
        continue;
      }
      last = e.seq();
      switch (e.type()) {
        case ITEM_CREATED -> {
          ItemState s = JournalReplay.created(e, true);
          if (reflects(h, working, s.id(), e.seq())) {
            continue;
          }
          if (!blobless && copyContent(h.accountId(), s)) {
            s = s.withBlob();
          } else if (!blobless) {
            uncertain = "the content of item " + s.id() + " was gone before the real-time scanner could copy it";
          } else if (blobs.has(s.digest())) {
            s = s.withBlob();
          }
          working.put(s.id(), s);
          out.add(s);
        }
        case ITEM_MOVED, ITEM_FLAGS_CHANGED, ITEM_TAGS_CHANGED, ITEM_DELETED -> {
          ItemState prev = working.containsKey(e.itemId()) ? working.get(e.itemId()) : h.latest(e.itemId());
          if (prev != null && prev.seq() >= e.seq()) {
            continue;
          }
          if (prev == null) {
            uncertain = "journal entry " + e.seq() + " changes item " + e.itemId() + ", which the backup does not have";
            continue;
          }
          ItemState next = switch (e.type()) {
            case ITEM_MOVED -> prev.inFolder(JournalReplay.folderId(e)).at(e.seq(), e.time());
            case ITEM_FLAGS_CHANGED -> prev.withFlags(JournalReplay.flags(e)).at(e.seq(), e.time());
            case ITEM_TAGS_CHANGED -> prev.withTags(JournalReplay.tags(e)).at(e.seq(), e.time());
            default -> prev.asDeleted(e.seq(), e.time());
          };
          if (!next.sameAs(prev)) {
            working.put(next.id(), next);
            out.add(next);
          }
        }
        case FOLDER_EMPTIED -> {
          for (int id : JournalReplay.emptiedItems(e)) {
            ItemState prev = working.containsKey(id) ? working.get(id) : h.latest(id);
            if (prev != null && !prev.deleted() && prev.seq() < e.seq()) {
              ItemState next = prev.asDeleted(e.seq(), e.time());
              working.put(id, next);
              out.add(next);
            }
          }
          // The manual's rule: after an emptied folder, an account scan runs before any restore.
          uncertain = "folder " + JournalReplay.folderId(e) + " was emptied at " + e.time();
        }
        case ACCOUNT_DELETED -> {
          Map<Integer, ItemState> current = new HashMap<>();
          h.latestStates().forEach(x -> current.put(x.id(), x));
          current.putAll(working); // items created earlier in this same batch are gone too
          for (ItemState cur : current.values()) {
            if (!cur.deleted() && cur.seq() < e.seq()) {
              ItemState next = cur.asDeleted(e.seq(), e.time());
              working.put(next.id(), next);
              out.add(next);
            }
          }
          deleted = true;
        }
        default -> accountLevel = true; // attributes, folders, shares: captured by the snapshot below
      }
    }
    if (last < 0) {
      return 0;
    }
    engine.commit(AccountCommit.of(h, out, snapshot(h, account, last, deleted, accountLevel, uncertain, blobless)));
    return out.size();
  }

  /**
   * The snapshot a batch commits after its states, or null when the last one is still true: item
   * changes alone need none, since the item states carry their own positions, and a snapshot per
   * batch would make account.log the bulk of the backup.
   */
  private AccountSnapshot snapshot(AccountHistory h, Optional<Account> account, long last, boolean deleted,
      boolean accountLevel, String uncertain, boolean blobless) {
    AccountSnapshot prevSnap = h.lastSnapshot();
    if (deleted || account.isEmpty()) {
      return prevSnap == null || prevSnap.deleted() ? null : prevSnap.asDeleted(null, last, clock.instant());
    }
    if (!accountLevel && uncertain == null && prevSnap != null) {
      return null;
    }
    MailboxSnapshot m = store.snapshot(account.get().id());
    String why = uncertain != null ? uncertain : prevSnap == null ? null : prevSnap.uncertain();
    boolean withoutContent = (prevSnap != null && prevSnap.withoutContent()) || blobless;
    AccountSnapshot snap = new AccountSnapshot(m.account(), m.folders(), m.grants(), false, null, why, withoutContent,
        last, clock.instant());
    return snap.sameAs(prevSnap) ? null : snap;
  }

  private static boolean reflects(AccountHistory h, Map<Integer, ItemState> working, int itemId, long seq)
      throws IOException {
    ItemState s = working.containsKey(itemId) ? working.get(itemId) : h.latest(itemId);
    return s != null && s.seq() >= seq;
  }

  private boolean copyContent(String accountId, ItemState s) throws IOException {
    BlobPacks blobs = engine.blobs();
    if (blobs.has(s.digest())) {
      return true;
    }
    byte[] raw;
    try {
      raw = store.content(accountId, s.id());
    } catch (RuntimeException gone) {
      Optional<byte[]> kept = store.retainedContent(s.digest(), s.size());
      if (kept.isEmpty()) {
        return false;
      }
      raw = kept.get();
    }
    if (!BlobCodec.sha256(raw).equals(s.digest())) {
      return false;
    }
    blobs.put(s.digest(), raw.length, blobs.compress(raw));
    return true;
  }

  /** Stops the thread and closes the position file. */
  public void close() throws IOException {
    stop();
    synchronized (this) {
      cursorLog.close();
    }
  }
}
