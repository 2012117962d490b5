package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.MailStore;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The folders of the mailbox a restore writes into, created on first need. */
final class TargetFolders {
  private final MailStore store;
  private final String accountId;
  private final String accountName;
  private final Map<Integer, Folder> byId = new HashMap<>();
  private final Map<String, Folder> byPath = new HashMap<>();
  private int created;

  TargetFolders(MailStore store, String accountId, String accountName) {
    this.store = store;
    this.accountId = accountId;
    this.accountName = accountName;
    for (Folder f : store.folders(accountId)) {
      remember(f);
    }
  }

  private void remember(Folder f) {
    byId.put(f.id(), f);
    byPath.put(f.path().toLowerCase(Locale.ROOT), f);
  }

  /** The folder for {@code t}: its own while it exists, else the one at its path, created if missing. */
  Folder resolve(FolderTarget t) {
    if (t.folderId() != null) {
      Folder f = byId.get(t.folderId());
      if (f != null && !f.isMountpoint()) {
        return f;
      }
    }
    String key = t.path().toLowerCase(Locale.ROOT);
    Folder f = byPath.get(key);
    if (f == null) {
      Optional<Folder> live = store.folder(accountId, t.path());
      if (live.isPresent()) {
        f = live.get();
      } else {
        // Parents are created along with it; each new folder counts.
        int before = store.folders(accountId).size();
        f = store.createFolder(accountId, t.path(), t.view());
        List<Folder> after = store.folders(accountId);
        created += after.size() - before;
        after.forEach(this::remember);
      }
      remember(f);
    }
    if (f.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception("folder " + f.path() + " of " + accountName + " is a mountpoint of "
          + f.mount().ownerName() + "'s mailbox; restore into another folder (restore_folder)");
    }
    return f;
  }

  /** The folder at a path, if the mailbox has it. */
  Optional<Folder> at(String path) {
    Folder f = byPath.get(FolderTarget.normalized(path).toLowerCase(Locale.ROOT));
    return f != null ? Optional.of(f) : store.folder(accountId, path);
  }

  /** Records a folder made outside {@link #resolve} (a mountpoint). */
  void added(Folder f) {
    remember(f);
  }

  int created() {
    return created;
  }
}
