package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;

/** An account with its mailbox, and the lookups that fail with messages naming both. */
record Owned(Account account, Mailbox box) {

  Folder requireFolder(int folderId) {
    return box.folder(folderId).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "folder " + folderId + " not found in mailbox " + account.name() + "; list its folders with"
            + " 'storefleet admin listFolders " + account.name() + "'"));
  }

  /** A folder that can hold items: not a mountpoint, whose items live in the owner's mailbox. */
  Folder requireWritableFolder(int folderId) {
    Folder f = requireFolder(folderId);
    if (f.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception(
          describe(f) + " is a mountpoint of " + f.mount().ownerName() + "'s folder "
              + f.mount().remoteFolderId() + "; change items in the owner's mailbox instead");
    }
    return f;
  }

  Item requireItem(int itemId) {
    return box.item(itemId).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "item " + itemId + " not found in mailbox " + account.name() + "; list its items with"
            + " 'storefleet admin listItems " + account.name() + "'"));
  }

  String describe(Folder f) {
    return "folder " + f.path() + " (id " + f.id() + ") of " + account.name();
  }
}
