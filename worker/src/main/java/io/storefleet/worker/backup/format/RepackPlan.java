package io.storefleet.worker.backup.format;

import io.storefleet.worker.backup.format.BlobPacks.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a removal of blobs does to the packs (docs/backup-format.md, "Retention and purge"): a
 * pack left with no indexed blob is dropped, a pack with dead space has its live blobs copied to
 * a new pack and is dropped after the new index is in place.
 *
 * @param moved the indexed blobs to copy, by digest, in digest order
 * @param obsolete the packs to delete once the index no longer names them: the empty ones first
 * @param before the size of every pack before the removal
 */
record RepackPlan(Map<String, Location> moved, List<String> obsolete, long before) {

  static RepackPlan of(Map<String, Location> index, List<Path> packs) throws IOException {
    Map<String, Long> live = new HashMap<>();
    for (Location l : index.values()) {
      live.merge(l.pack(), (long) PackEntry.HEADER + l.length(), Long::sum);
    }
    long before = 0;
    List<String> rewrite = new ArrayList<>();
    List<String> drop = new ArrayList<>();
    for (Path f : packs) {
      String name = f.getFileName().toString();
      long size = Files.size(f);
      before += size;
      long used = live.getOrDefault(name, 0L);
      if (used == 0) {
        drop.add(name);
      } else if (used < size) {
        rewrite.add(name);
      }
    }
    Map<String, Location> moved = new TreeMap<>();
    for (Map.Entry<String, Location> e : index.entrySet()) {
      if (rewrite.contains(e.getValue().pack())) {
        moved.put(e.getKey(), e.getValue());
      }
    }
    drop.addAll(rewrite);
    return new RepackPlan(moved, drop, before);
  }
}
