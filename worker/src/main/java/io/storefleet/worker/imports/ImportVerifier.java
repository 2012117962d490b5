package io.storefleet.worker.imports;

import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks what this run created against the source, folder by folder: the number of items, their
 * total size and one digest over their contents' digests must be the same here as in the source.
 * The store's digest of an item is that of the bytes it keeps, so equal digests mean the contents
 * arrived byte for byte.
 */
final class ImportVerifier {
  /** What the check found: how many folders it compared, and every difference. */
  record Verdict(long folders, List<String> mismatches) {}

  private final MailStore store;

  ImportVerifier(MailStore store) {
    this.store = store;
  }

  Verdict verify(List<ImportTarget> targets) {
    long folders = 0;
    List<String> mismatches = new ArrayList<>();
    for (ImportTarget t : targets) {
      if (t.restored.isEmpty()) {
        continue;
      }
      Map<Integer, Item> here = new HashMap<>();
      for (Item i : store.items(t.newId())) {
        here.put(i.id(), i);
      }
      Map<Integer, List<ImportTarget.RestoredItem>> bySource = new TreeMap<>();
      t.restored.forEach(r -> bySource.computeIfAbsent(r.sourceFolder(), k -> new ArrayList<>()).add(r));
      for (var e : bySource.entrySet()) {
        folders++;
        List<String> want = new ArrayList<>();
        List<String> have = new ArrayList<>();
        long wantSize = 0;
        long haveSize = 0;
        Integer folderHere = null;
        for (ImportTarget.RestoredItem r : e.getValue()) {
          want.add(r.digest());
          wantSize += r.size();
          Item i = here.get(r.newId());
          if (i == null) {
            continue;
          }
          if (folderHere == null) {
            folderHere = i.folderId();
          }
          if (i.folderId() == folderHere) {
            have.add(i.digest());
            haveSize += i.size();
          }
        }
        String wantDigest = combined(want);
        String haveDigest = combined(have);
        if (want.size() != have.size() || wantSize != haveSize || !wantDigest.equals(haveDigest)) {
          String path = t.source.snapshot().folders().stream().filter(f -> f.id() == e.getKey())
              .map(io.storefleet.worker.store.Folder::path).findFirst().orElse("#" + e.getKey());
          mismatches.add(t.name() + " " + path + ": source " + want.size() + " item(s), " + wantSize
              + " bytes, digest " + wantDigest.substring(0, 12) + "; here " + have.size() + " item(s), " + haveSize
              + " bytes, digest " + haveDigest.substring(0, 12));
        }
      }
    }
    return new Verdict(folders, mismatches);
  }

  /** One digest for a folder's contents, independent of order. */
  private static String combined(List<String> digests) {
    List<String> sorted = new ArrayList<>(digests);
    sorted.sort(null);
    return BlobCodec.sha256(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
  }
}
