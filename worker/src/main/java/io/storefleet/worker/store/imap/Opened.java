package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import java.util.List;
import java.util.Locale;

/**
 * One account opened for a call: its id map brought up to the server, a session acting as it,
 * and its folders as the pass found them.
 */
record Opened(Account account, AccountMap map, ImapSession session, List<MappedFolder> folders) {

  MappedFolder folder(int folderId) {
    return folders.stream().filter(f -> f.folder().id() == folderId).findFirst()
        .orElseThrow(() -> ErrorCode.NOT_FOUND.exception("folder " + folderId + " does not exist in " + account.name()));
  }

  /** A folder that holds messages (not the root, not a \Noselect placeholder). */
  MappedFolder messageFolder(int folderId) {
    MappedFolder f = folder(folderId);
    if (!f.selectable()) {
      throw ErrorCode.CONFLICT.exception("folder " + f.folder().path() + " of " + account.name()
          + " cannot hold messages (it is " + (f.folder().isMountpoint() ? "a mountpoint"
              : f.mailbox() == null ? "the root" : "a \\Noselect mailbox") + ")");
    }
    return f;
  }

  java.util.Optional<MappedFolder> byPath(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return folders.stream().filter(f -> f.folder().path().toLowerCase(Locale.ROOT).equals(p)).findFirst();
  }

  /** The folder a mapped item is in, by its mailbox GUID. */
  MappedFolder folderOf(MappedItem i) {
    return folders.stream().filter(f -> f.mailbox() != null && f.mailbox().guid().equals(i.mailboxGuid()))
        .findFirst().orElseThrow(() -> ErrorCode.NOT_FOUND.exception("item " + i.id() + " of " + account.name()
            + " is in a mailbox that no longer exists"));
  }

  MappedItem item(int itemId) {
    return map.item(itemId).orElseThrow(() -> map.awaiting(itemId).isPresent()
        ? AwaitedContent.awaits(itemId, account.name())
        : ErrorCode.NOT_FOUND.exception("item " + itemId + " does not exist in " + account.name()));
  }

  char separator() {
    return folders.stream().filter(f -> f.mailbox() != null).map(f -> f.mailbox().separator()).findFirst()
        .orElse('/');
  }

  List<Folder> plainFolders() {
    return folders.stream().map(MappedFolder::folder).toList();
  }
}
