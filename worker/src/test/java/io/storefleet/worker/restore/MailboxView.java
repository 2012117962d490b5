package io.storefleet.worker.restore;

import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a mailbox holds, independent of ids: per folder path its view and its items (type,
 * content digest, flags, tags, subject), sorted; mountpoints by path with their target. Two
 * mailboxes with equal views hold the same things in the same places.
 */
record MailboxView(Map<String, String> folders, Map<String, List<String>> items, Map<String, String> mountpoints) {

  static MailboxView of(MailStore store, String accountId) {
    Map<String, String> folders = new TreeMap<>();
    Map<String, List<String>> items = new TreeMap<>();
    Map<String, String> mounts = new TreeMap<>();
    for (Folder f : store.folders(accountId)) {
      if (f.isMountpoint()) {
        mounts.put(f.path(), f.mount().ownerId() + ":" + f.mount().remoteFolderId());
        continue;
      }
      folders.put(f.path(), f.view());
      List<String> in = new ArrayList<>();
      for (Item i : store.items(accountId, f.id())) {
        in.add(i.type() + " " + i.digest() + " flags=" + new java.util.TreeSet<>(i.flags()) + " tags="
            + new java.util.TreeSet<>(i.tags()) + " " + i.subject());
      }
      in.sort(null);
      items.put(f.path(), in);
    }
    return new MailboxView(folders, items, mounts);
  }

  int itemCount() {
    return items.values().stream().mapToInt(List::size).sum();
  }
}
