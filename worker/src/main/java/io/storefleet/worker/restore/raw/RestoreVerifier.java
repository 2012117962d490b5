package io.storefleet.worker.restore.raw;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a restored mailbox back from the store and compares it with what the backup recorded:
 * the account's id and name, every folder (id, parent, path, view, mount target), every item
 * (id, folder, type, size, digest) and every grant. Ids already reported as unrestored are left
 * out: they are accounted for.
 */
final class RestoreVerifier {
  private RestoreVerifier() {}

  /** The differences, each naming the account and the id; empty when the store matches. */
  static List<String> verify(MailStore store, RecordedAccount r, Set<Integer> unrestored, Set<String> unrestoredGrants) {
    List<String> diffs = new ArrayList<>();
    Account want = r.account();
    Optional<Account> have = store.account(want.id()).filter(a -> a.id().equals(want.id()));
    if (have.isEmpty() || !have.get().name().equalsIgnoreCase(want.name())) {
      diffs.add(want.name() + ": the account with id " + want.id() + " is not on this server");
      return diffs;
    }
    Map<Integer, Folder> folders = new HashMap<>();
    store.folders(want.id()).forEach(f -> folders.put(f.id(), f));
    for (Folder f : r.folders()) {
      if (unrestored.contains(f.id())) {
        continue;
      }
      Folder h = folders.get(f.id());
      if (h == null) {
        diffs.add(want.name() + ": folder " + f.id() + " (" + f.path() + ") is missing");
      } else if (h.parentId() != f.parentId() || !h.path().equals(f.path()) || !h.view().equals(f.view())
          || !Objects.equals(h.mount(), f.mount())) {
        diffs.add(want.name() + ": folder " + f.id() + " is " + h.path() + " (" + h.view() + ", parent "
            + h.parentId() + "), the backup has " + f.path() + " (" + f.view() + ", parent " + f.parentId() + ")");
      }
    }
    Map<Integer, Item> items = new HashMap<>();
    store.items(want.id()).forEach(i -> items.put(i.id(), i));
    for (Item i : r.items()) {
      if (unrestored.contains(i.id())) {
        continue;
      }
      Item h = items.get(i.id());
      if (h == null) {
        diffs.add(want.name() + ": item " + i.id() + " is missing");
      } else if (h.folderId() != i.folderId() || h.type() != i.type() || h.size() != i.size()
          || !h.digest().equals(i.digest())) {
        diffs.add(want.name() + ": item " + i.id() + " is " + h.type() + " of " + h.size() + " bytes in folder "
            + h.folderId() + ", the backup has " + i.type() + " of " + i.size() + " bytes in folder " + i.folderId()
            + (h.digest().equals(i.digest()) ? "" : ", with another digest"));
      }
    }
    List<Grant> grants = store.grants(want.id());
    for (Grant g : r.grants()) {
      boolean there = grants.stream().anyMatch(x -> x.folderId() == g.folderId() && x.granteeId().equals(g.granteeId())
          && x.rights().equals(g.rights()));
      if (!there && !unrestoredGrants.contains(g.folderId() + ":" + g.granteeId())) {
        diffs.add(want.name() + ": the share of folder " + g.folderId() + " with " + g.granteeName() + " is missing");
      }
    }
    return diffs;
  }
}
