package io.storefleet.worker.backup;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SmartScan (all accounts) and AccountScan (one account): copies every item state, blob and
 * provisioning snapshot that the backup path does not have yet. Accounts unchanged since their
 * last scan are skipped unless {@code deep}. Each account's new states are committed with one
 * sync; a scan killed half way leaves the accounts it finished committed and the others as they
 * were, and the next scan picks up the rest.
 */
public final class ScanTask implements OperationTask {
  private final MailStore store;
  private final BackupPath backup;
  private final String onlyAccount;
  private final boolean deep;

  /**
   * @param onlyAccount the account to scan, or null for every account (SmartScan)
   */
  public ScanTask(MailStore store, BackupPath backup, String onlyAccount, boolean deep) {
    this.store = store;
    this.backup = backup;
    this.onlyAccount = onlyAccount;
    this.deep = deep;
  }

  private static final class Counters {
    long accountsScanned;
    long accountsSkipped;
    long accountsDeleted;
    long itemsNew;
    long itemsChanged;
    long itemsDeleted;
    long itemsUnchanged;
    long blobsWritten;
    long bytesRead;
    long done;
    final List<Unrestored> unreadable = new ArrayList<>();
  }

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    Counters c = new Counters();
    ctx.progress("reading provisioning", 0, -1, 0);
    if (onlyAccount == null) {
      scanProvisioning(ctx.clock().instant());
    }
    List<Account> accounts = new ArrayList<>();
    if (onlyAccount == null) {
      accounts.addAll(store.accounts());
    } else {
      accounts.add(store.account(onlyAccount).orElseThrow(() ->
          io.storefleet.protocol.error.ErrorCode.UNKNOWN_ACCOUNT.exception(
              "account " + onlyAccount + " no longer exists on this server")));
    }
    long total = 0;
    for (Account a : accounts) {
      total += store.items(a.id()).size();
    }
    for (Account a : accounts) {
      ctx.checkStopped();
      scanAccount(ctx, a, c, total);
    }
    if (onlyAccount == null) {
      markDeletedAccounts(ctx.clock().instant(), accounts, c);
    }
    ctx.progress("done", c.done, total, c.bytesRead);
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("accountsScanned", c.accountsScanned);
    counters.put("accountsSkipped", c.accountsSkipped);
    counters.put("accountsDeleted", c.accountsDeleted);
    counters.put("itemsNew", c.itemsNew);
    counters.put("itemsChanged", c.itemsChanged);
    counters.put("itemsDeleted", c.itemsDeleted);
    counters.put("itemsUnchanged", c.itemsUnchanged);
    counters.put("blobsWritten", c.blobsWritten);
    counters.put("bytesRead", c.bytesRead);
    counters.put("itemsUnreadable", (long) c.unreadable.size());
    if (!c.unreadable.isEmpty()) {
      String verdict = c.unreadable.size() + " item(s) could not be read and are not in the backup;"
          + " every other item is.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, new OperationStats(counters, c.unreadable, verdict));
    }
    String verdict = "Backup up to date: " + c.accountsScanned + " account(s) scanned, "
        + c.accountsSkipped + " unchanged, " + (c.itemsNew + c.itemsChanged + c.itemsDeleted)
        + " item state(s) recorded.";
    return new OperationStats(counters, List.of(), verdict);
  }

  private void scanProvisioning(Instant now) throws IOException {
    ProvisioningSnapshot snap =
        new ProvisioningSnapshot(store.domains(), store.coses(), store.distributionLists(), now);
    try (AppendLog log = backup.provisioningLog()) {
      ProvisioningSnapshot last = last(log, ProvisioningSnapshot.class);
      if (!snap.sameAs(last)) {
        log.append(Json.encode(snap));
      }
    }
  }

  private void scanAccount(OperationContext ctx, Account a, Counters c, long total) throws IOException {
    // Read the journal position first: a change landing during the scan makes the next scan
    // look at this account again instead of being missed.
    long seq = store.lastChange(a.id());
    try (AppendLog accountLog = backup.accountLog(a.id())) {
      AccountSnapshot lastSnap = last(accountLog, AccountSnapshot.class);
      if (!deep && lastSnap != null && !lastSnap.deleted() && lastSnap.scannedSeq() >= seq) {
        c.accountsSkipped++;
        c.done += store.items(a.id()).size();
        ctx.progress("scanning " + a.name(), c.done, total, c.bytesRead);
        return;
      }
      Instant now = ctx.clock().instant();
      List<String> lines = new ArrayList<>();
      try (AppendLog itemsLog = backup.itemsLog(a.id())) {
        Map<Integer, ItemState> known = new HashMap<>();
        for (String line : itemsLog.recovered()) {
          ItemState s = Json.decode(line, ItemState.class);
          known.put(s.id(), s);
        }
        Map<Integer, Boolean> seen = new HashMap<>();
        for (Item i : store.items(a.id())) {
          ctx.beforeItem();
          seen.put(i.id(), true);
          ItemState now1 = ItemState.of(i, now);
          ItemState prev = known.get(i.id());
          boolean changed = !now1.sameAs(prev);
          if (deep || (changed && !backup.hasBlob(i.digest()))) {
            // Deep scans re-read every item and check it against its digest, changed or not.
            byte[] raw;
            try {
              raw = store.content(a.id(), i.id());
            } catch (RuntimeException e) {
              c.unreadable.add(new Unrestored(a.name(), i.id(), "read error: " + e.getMessage()));
              c.done++;
              continue;
            }
            c.bytesRead += raw.length;
            if (!Digests.sha256(raw).equals(i.digest())) {
              c.unreadable.add(new Unrestored(a.name(), i.id(), "broken item: content does not match its digest"));
              c.done++;
              continue;
            }
            if (backup.putBlob(i.digest(), raw) > 0) {
              c.blobsWritten++;
            }
          }
          if (!changed) {
            c.itemsUnchanged++;
          } else {
            lines.add(Json.encode(now1));
            if (prev == null) {
              c.itemsNew++;
            } else {
              c.itemsChanged++;
            }
          }
          c.done++;
          ctx.progress("scanning " + a.name(), c.done, total, c.bytesRead);
        }
        for (ItemState prev : known.values()) {
          if (!prev.deleted() && !seen.containsKey(prev.id())) {
            lines.add(Json.encode(prev.asDeleted(now)));
            c.itemsDeleted++;
          }
        }
        itemsLog.appendAll(lines);
      }
      AccountSnapshot snap =
          new AccountSnapshot(a, store.folders(a.id()), store.grants(a.id()), false, seq, now);
      accountLog.append(Json.encode(snap));
      c.accountsScanned++;
    }
  }

  private void markDeletedAccounts(Instant now, List<Account> live, Counters c) throws IOException {
    java.nio.file.Path dir = backup.root().resolve("accounts");
    if (!java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    java.util.Set<String> liveIds = new java.util.HashSet<>();
    live.forEach(a -> liveIds.add(a.id()));
    try (var list = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path p : list.toList()) {
        String id = p.getFileName().toString();
        if (liveIds.contains(id)) {
          continue;
        }
        try (AppendLog accountLog = backup.accountLog(id)) {
          AccountSnapshot last = last(accountLog, AccountSnapshot.class);
          if (last != null && !last.deleted()) {
            accountLog.append(Json.encode(new AccountSnapshot(
                last.account(), last.folders(), last.grants(), true, last.scannedSeq(), now)));
            c.accountsDeleted++;
          }
        }
      }
    }
  }

  private static <T> T last(AppendLog log, Class<T> type) {
    List<String> r = log.recovered();
    return r.isEmpty() ? null : Json.decode(r.get(r.size() - 1), type);
  }
}
