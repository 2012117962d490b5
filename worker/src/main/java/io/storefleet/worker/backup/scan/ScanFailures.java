package io.storefleet.worker.backup.scan;

import io.storefleet.worker.log.WriteFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The accounts a scan could not back up, by cause: damaged backup metadata, which calls for a
 * coherency check, or a full file system, which does not (nothing is damaged; the next scan after
 * space is freed backs them up).
 */
final class ScanFailures {
  final List<String> damaged = new ArrayList<>();
  final List<String> noSpace = new ArrayList<>();

  synchronized void add(String account, IOException e) {
    (WriteFailure.diskFull(e) ? noSpace : damaged).add(account + ": " + e.getMessage());
  }

  /** Adds the counters of the scan's result block. */
  void count(Map<String, Long> counters) {
    counters.put("accountsDamaged", (long) damaged.size());
    if (!noSpace.isEmpty()) {
      counters.put("accountsNotBackedUp", (long) noSpace.size());
    }
  }

  /** What a scan that met a full disk says, naming the file it could not write; null when it met none. */
  String noSpaceVerdict() {
    if (noSpace.isEmpty()) {
      return null;
    }
    return noSpace.size() + " account(s) could not be backed up, the backup path's file system is full: "
        + noSpace.get(0) + ". The accounts backed up before stay committed; free space and run the scan again.";
  }
}
