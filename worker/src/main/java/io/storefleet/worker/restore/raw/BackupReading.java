package io.storefleet.worker.restore.raw;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.store.Item;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a raw restore reads from a backup path, through the engine's reading API only.
 *
 * <p><b>The restore point.</b> Every record carries the store journal position it reflects. A
 * backup path kept across a disaster goes on receiving records once a replacement store is
 * running: a scan of the still empty store (whose positions start again from 1) or, after a raw
 * restore, the echo of the restore itself (above the position the restore advanced the journal
 * to). So the state restored is, per account and per item, the record with the <i>highest
 * position below the cut</i> (the journal advance of the store being rebuilt): for a backup
 * that only ever followed one store this is simply the last record.
 */
final class BackupReading {
  /** What one pass over an account's logs gives. */
  record Read(long highestPosition, Optional<RecordedAccount> account) {}

  private final BackupEngine engine;
  private final BackupHistoryReader reader;

  BackupReading(BackupEngine engine) {
    this.engine = engine;
    this.reader = new BackupHistoryReader(engine);
  }

  Path root() {
    return engine.path().root();
  }

  List<String> accountIds() throws IOException {
    return engine.accountIds();
  }

  /** An account's highest recorded position, and its state at the restore point below {@code cut}. */
  Read account(String accountId, long cut) throws IOException {
    long highest = 0;
    AccountSnapshot point = null;
    for (AccountSnapshot s : reader.snapshots(accountId)) {
      highest = Math.max(highest, s.seq());
      if (s.seq() < cut && (point == null || s.seq() >= point.seq())) {
        point = s;
      }
    }
    Map<Integer, ItemState> latest = new HashMap<>();
    Map<Integer, Instant> firstSeen = new HashMap<>();
    for (ItemState s : reader.itemStates(accountId)) {
      highest = Math.max(highest, s.seq());
      if (s.seq() >= cut) {
        continue;
      }
      ItemState prev = latest.get(s.id());
      if (prev == null || s.seq() >= prev.seq()) {
        latest.put(s.id(), s);
      }
      firstSeen.merge(s.id(), s.since(), (a, b) -> a.isBefore(b) ? a : b);
    }
    if (point == null) {
      return new Read(highest, Optional.empty());
    }
    List<Item> items = new ArrayList<>();
    for (ItemState s : latest.values()) {
      if (s.deleted()) {
        continue;
      }
      items.add(new Item(s.id(), s.folderId(), s.type(), s.size(), s.digest(), s.flags(), s.tags(), 0, null,
          s.receivedAt() != null ? s.receivedAt() : firstSeen.get(s.id()), s.subject(), s.from(), s.to()));
    }
    items.sort(java.util.Comparator.comparingInt(Item::id));
    return new Read(highest, Optional.of(new RecordedAccount(point.account(), point.folders(), point.grants(), items,
        point.deleted(), point.uncertain())));
  }

  /** The server-wide provisioning at the restore point, and the highest position of its log. */
  Optional<ProvisioningSnapshot> provisioning(long cut) throws IOException {
    ProvisioningSnapshot point = null;
    for (ProvisioningSnapshot p : engine.serverRecords(serverLog("provisioning.log"), ProvisioningSnapshot.class)) {
      if (p.seq() < cut && (point == null || p.seq() >= point.seq())) {
        point = p;
      }
    }
    return Optional.ofNullable(point);
  }

  /**
   * The highest store position the server-level logs name: provisioning records, clean
   * SmartScans, and the real-time scanner's cursor, from which it reads the journal on.
   */
  long highestServerPosition() throws IOException {
    long highest = 0;
    for (ProvisioningSnapshot p : engine.serverRecords(serverLog("provisioning.log"), ProvisioningSnapshot.class)) {
      highest = Math.max(highest, p.seq());
    }
    for (JsonNode scan : engine.serverRecords(serverLog("scans.log"), JsonNode.class)) {
      highest = Math.max(highest, scan.path("seq").asLong());
    }
    for (Long cursor : engine.serverRecords(serverLog("realtime.log"), Long.class)) {
      highest = Math.max(highest, cursor);
    }
    return highest;
  }

  /** The server-level logs as docs/backup-format.md lays them out. */
  private Path serverLog(String name) {
    return engine.path().root().resolve("server").resolve(name);
  }
}
