package io.storefleet.worker.metrics;

import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.ItemState;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the backup path once for the gauges that need the disk: its size and free space, the blob
 * dedup ratio, the last successful SmartScan, and which accounts are uncertain or have not been
 * backed up for {@link #STALE_AFTER}. It reads every account's logs, so it runs on the metrics
 * thread, every few minutes, never on a scrape.
 */
final class CoverageSurvey {
  /** A nightly backup that missed one night by a couple of hours is late, not stale. */
  static final Duration STALE_AFTER = Duration.ofHours(26);

  /** What one survey found. */
  record Coverage(long pathBytes, long freeBytes, long filesystemBytes, double dedupRatio, Instant lastSmartScan,
      long accountsNotBackedUp, long accountsUncertain, Instant at) {}

  private final BackupEngine engine;
  private final Clock clock;

  CoverageSurvey(BackupEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  Coverage run() throws IOException {
    Instant now = clock.instant();
    Path root = engine.path().root();
    Instant lastScan = lastSmartScan();
    BackupHistoryReader reader = new BackupHistoryReader(engine);
    long stale = 0;
    long uncertain = 0;
    long liveBlobBytes = 0;
    for (String id : engine.accountIds()) {
      Optional<AccountSnapshot> snap = reader.snapshotAt(id, null);
      if (snap.isEmpty() || snap.get().deleted()) {
        continue;
      }
      BackupHistoryReader.ItemsLog items = reader.items(id);
      liveBlobBytes += liveBlobBytes(items.states());
      if (snap.get().excluded() != null) {
        continue; // not backed up by choice (its COS), so never stale
      }
      if (snap.get().uncertain() != null) {
        uncertain++;
      }
      // The last time the backup vouched for the account: its snapshot, a scan position, or a
      // clean SmartScan, which compares every live account even when it writes nothing new.
      Instant confirmed = snap.get().at();
      Optional<BackupHistoryReader.Recorded> pos = items.lastPosition(null);
      if (pos.isPresent() && pos.get().at().isAfter(confirmed)) {
        confirmed = pos.get().at();
      }
      if (lastScan != null && lastScan.isAfter(confirmed)) {
        confirmed = lastScan;
      }
      if (confirmed.isBefore(now.minus(STALE_AFTER))) {
        stale++;
      }
    }
    long distinctRaw = 0;
    for (BlobPacks.Location l : engine.blobs().committed().values()) {
      distinctRaw += l.rawSize();
    }
    double ratio = distinctRaw == 0 ? Double.NaN : (double) liveBlobBytes / distinctRaw;
    FileStore disk = Files.getFileStore(root);
    return new Coverage(sizeOf(root), disk.getUsableSpace(), disk.getTotalSpace(), ratio, lastScan, stale, uncertain,
        now);
  }

  private Instant lastSmartScan() throws IOException {
    @SuppressWarnings("rawtypes")
    List<Map> scans = engine.serverRecords(engine.path().scanLog(), Map.class);
    return scans.isEmpty() ? null : Instant.parse(String.valueOf(scans.get(scans.size() - 1).get("at")));
  }

  private static long liveBlobBytes(List<ItemState> states) {
    Map<Integer, ItemState> latest = new HashMap<>();
    for (ItemState s : states) {
      latest.put(s.id(), s);
    }
    long n = 0;
    for (ItemState s : latest.values()) {
      if (!s.deleted() && s.hasBlob()) {
        n += s.size();
      }
    }
    return n;
  }

  /** Bytes of the files under {@code root}; files that go while it walks (a repack) are skipped. */
  static long sizeOf(Path root) throws IOException {
    long[] total = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          total[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }
}
