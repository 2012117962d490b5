package io.storefleet.worker.restore;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a restore's result against the backup, folder by folder: the count, the total size and
 * a digest over the content digests of the items, then every restored item's content read back
 * from the store. Nothing the store reports about itself is taken on trust. Contents are compared
 * as {@link ContentMatch} says: byte for byte within a store kind, in canonical form across kinds.
 */
final class RestoreVerifier {
  /** The outcome: the one-line summary, and what did not match. */
  record Verdict(String summary, List<String> mismatches) {}

  private final MailStore store;
  private final String accountId;
  private final ContentMatch match;

  RestoreVerifier(MailStore store, String accountId, ContentMatch match) {
    this.store = store;
    this.accountId = accountId;
    this.match = match;
  }

  /**
   * @param placed where every restored or skipped item is
   * @param exactFolders for a mailbox the restore created, the folders that must hold exactly the
   *     planned items (also when none), by path; empty for a live mailbox, whose folders only
   *     have to contain them
   */
  Verdict verify(List<ItemWriter.Placed> placed, List<String> exactFolders, RestoreProgress progress) {
    List<String> mismatches = new ArrayList<>();
    Map<Integer, List<ItemWriter.Placed>> byFolder = new LinkedHashMap<>();
    for (ItemWriter.Placed p : placed) {
      byFolder.computeIfAbsent(p.folderId(), k -> new ArrayList<>()).add(p);
    }
    Map<Integer, Folder> folders = new HashMap<>();
    for (Folder f : store.folders(accountId)) {
      folders.put(f.id(), f);
    }
    for (String path : exactFolders) {
      Optional<Folder> f = store.folder(accountId, path);
      if (f.isEmpty() || f.get().isMountpoint()) {
        mismatches.add("folder " + path + " is missing");
      } else {
        byFolder.putIfAbsent(f.get().id(), new ArrayList<>());
      }
    }
    boolean exact = !exactFolders.isEmpty();
    Map<String, Long> all = new TreeMap<>();
    long items = 0;
    long bytes = 0;
    progress.phase("verifying", placed.size());
    for (Map.Entry<Integer, List<ItemWriter.Placed>> e : byFolder.entrySet()) {
      Folder f = folders.get(e.getKey());
      String name = f == null ? "folder " + e.getKey() : "folder " + f.path();
      Map<String, Long> expected = new TreeMap<>();
      for (ItemWriter.Placed p : e.getValue()) {
        expected.merge(match.backupKey(p.planned().state().digest(), p.planned().state().size()), 1L, Long::sum);
        items++;
        bytes += p.planned().state().size();
      }
      expected.forEach((k, n) -> all.merge(k, n, Long::sum));
      Map<String, Long> actual = new TreeMap<>();
      Map<Integer, Item> listed = new HashMap<>();
      for (Item i : f == null ? List.<Item>of() : store.items(accountId, f.id())) {
        actual.merge(storedKey(i), 1L, Long::sum);
        listed.put(i.id(), i);
      }
      if (exact ? !actual.equals(expected) : !contains(actual, expected)) {
        mismatches.add(name + ": the backup has " + describe(expected) + ", the mailbox "
            + (exact ? "has " + describe(actual) : "lacks " + missing(actual, expected) + " of them"));
      }
      for (ItemWriter.Placed p : e.getValue()) {
        String bad = checkContent(p, listed.containsKey(p.itemId()));
        if (bad != null) {
          mismatches.add(name + ": item " + p.itemId() + " (backup item " + p.planned().state().id() + ") " + bad);
        }
        progress.item(p.planned().state().size());
      }
    }
    String summary = byFolder.size() + " folder(s), " + items + " item(s), " + bytes + " bytes, digest "
        + digest(all).substring(0, 12) + (match.canonical() ? " (contents compared in canonical form: the backup"
            + " holds mail of another store kind)" : "");
    return new Verdict(summary, mismatches);
  }

  /**
   * Why the stored item does not hold the backed-up content, or null when it does.
   *
   * @param listed whether the store lists the item in its folder (read once per folder, not per item)
   */
  private String checkContent(ItemWriter.Placed p, boolean listed) {
    String want = p.planned().state().digest();
    if (!listed) {
      return "is no longer there";
    }
    String got;
    try {
      got = match.readBackKey(store, accountId, p.itemId());
    } catch (StorefleetException e) {
      return "cannot be read back: " + e.getMessage();
    }
    String expected = match.backupKey(want, p.planned().state().size());
    if (!got.equals(expected)) {
      String form = match.canonical() ? " in canonical form" : "";
      return "reads back as " + size(got) + " bytes with digest " + got.substring(0, 12) + form + ", not the backup's "
          + size(expected) + " bytes with digest " + expected.substring(0, 12);
    }
    return null;
  }

  /** A stored item's key; an item that cannot be read matches nothing (its own check says why). */
  private String storedKey(Item i) {
    try {
      return match.storedKey(store, accountId, i);
    } catch (StorefleetException e) {
      return "unreadable item " + i.id() + ":" + i.size();
    }
  }

  private static long size(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
  }

  private static boolean contains(Map<String, Long> actual, Map<String, Long> expected) {
    return missing(actual, expected) == 0;
  }

  private static long missing(Map<String, Long> actual, Map<String, Long> expected) {
    long n = 0;
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      n += Math.max(0, e.getValue() - actual.getOrDefault(e.getKey(), 0L));
    }
    return n;
  }

  private static String describe(Map<String, Long> items) {
    long n = 0;
    long size = 0;
    for (Map.Entry<String, Long> e : items.entrySet()) {
      n += e.getValue();
      size += e.getValue() * size(e.getKey());
    }
    return n + " item(s), " + size + " bytes, digest " + digest(items).substring(0, 12);
  }

  /** A digest of a multiset of item digests, independent of order. */
  private static String digest(Map<String, Long> items) {
    StringBuilder sb = new StringBuilder();
    items.forEach((k, n) -> sb.append(k).append(' ').append(n).append('\n'));
    return BlobCodec.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
