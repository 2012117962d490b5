package io.storefleet.worker.imports;

import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.restore.ContentMatch;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Checks what this run created against the source, folder by folder: the number of items, their
 * total size and one digest over their contents' digests must be the same here as in the source.
 * Within one store kind the store's digest is that of the bytes it keeps, so equal digests mean
 * the contents arrived byte for byte; across kinds both sides are compared in canonical form
 * ({@link ContentMatch}), because an IMAP server keeps mail in its wire form.
 */
final class ImportVerifier {
  /** What the check found: how many folders it compared, every difference, and whether in canonical form. */
  record Verdict(long folders, List<String> mismatches, boolean canonical) {}

  private final MailStore store;
  private final Supplier<ContentMatch> matches;

  /** @param matches a new comparison for each account ({@link ImportSource#match}) */
  ImportVerifier(MailStore store, Supplier<ContentMatch> matches) {
    this.store = store;
    this.matches = matches;
  }

  Verdict verify(List<ImportTarget> targets) {
    long folders = 0;
    boolean canonical = false;
    List<String> mismatches = new ArrayList<>();
    for (ImportTarget t : targets) {
      if (t.restored.isEmpty()) {
        continue;
      }
      ContentMatch match = matches.get();
      canonical |= match.canonical();
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
        Integer folderHere = null;
        for (ImportTarget.RestoredItem r : e.getValue()) {
          want.add(match.backupKey(r.digest(), r.size()));
          Item i = here.get(r.newId());
          if (i == null) {
            continue;
          }
          if (folderHere == null) {
            folderHere = i.folderId();
          }
          if (i.folderId() == folderHere) {
            have.add(match.storedKey(store, t.newId(), i));
          }
        }
        String wantDigest = combined(want);
        String haveDigest = combined(have);
        long wantSize = size(want);
        long haveSize = size(have);
        if (want.size() != have.size() || wantSize != haveSize || !wantDigest.equals(haveDigest)) {
          String path = t.source.snapshot().folders().stream().filter(f -> f.id() == e.getKey())
              .map(io.storefleet.worker.store.Folder::path).findFirst().orElse("#" + e.getKey());
          mismatches.add(t.name() + " " + path + ": source " + want.size() + " item(s), " + wantSize
              + " bytes, digest " + wantDigest.substring(0, 12) + "; here " + have.size() + " item(s), " + haveSize
              + " bytes, digest " + haveDigest.substring(0, 12) + (match.canonical() ? " (in canonical form)" : ""));
        }
      }
    }
    return new Verdict(folders, mismatches, canonical);
  }

  private static long size(List<String> keys) {
    return keys.stream().mapToLong(ContentMatch::size).sum();
  }

  /** One digest for a folder's contents, independent of order. */
  private static String combined(List<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    return BlobCodec.sha256(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
  }
}
