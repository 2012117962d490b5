package io.storefleet.worker.export;

import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An export read back through the backup readers and reduced to what it says, without the dates
 * and positions that differ between two runs: accounts, their folders and shares, each item's
 * current state, the blobs and the provisioning.
 */
record ExportView(Map<String, String> accounts, Map<String, Map<Integer, String>> items, TreeSet<String> blobs,
    String provisioning) {

  static ExportView read(Path dest, String serverId) throws Exception {
    try (BackupEngine e = BackupEngine.open(BackupPath.openExisting(dest, serverId), () -> false)) {
      BackupHistoryReader r = new BackupHistoryReader(e);
      Map<String, String> accounts = new TreeMap<>();
      Map<String, Map<Integer, String>> items = new TreeMap<>();
      for (String id : e.accountIds()) {
        List<AccountSnapshot> snaps = r.snapshots(id);
        AccountSnapshot last = snaps.get(snaps.size() - 1);
        accounts.put(last.account().name(), last.account() + " " + last.folders() + " " + last.grants() + " "
            + last.deleted() + " " + last.uncertain());
        Map<Integer, String> states = new TreeMap<>();
        for (ItemState s : e.withHistory(id, h -> h.latestStates())) {
          if (!s.deleted()) {
            states.put(s.id(), s.folderId() + " " + s.type() + " " + s.digest() + " " + s.size() + " " + s.flags()
                + " " + s.tags() + " " + s.blobless() + " " + s.since());
          }
        }
        items.put(last.account().name(), states);
      }
      List<ProvisioningSnapshot> p = e.serverRecords(e.path().provisioningLog(), ProvisioningSnapshot.class);
      ProvisioningSnapshot last = p.get(p.size() - 1);
      String provisioning = last.domains() + " " + last.coses() + " " + last.lists();
      return new ExportView(accounts, items, new TreeSet<>(e.blobs().committed().keySet()), provisioning);
    }
  }
}
