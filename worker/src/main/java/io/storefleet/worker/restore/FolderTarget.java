package io.storefleet.worker.restore;

import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.ItemType;
import java.util.Locale;

/**
 * Where restored items go: an existing folder of the target mailbox by id, or a path created
 * (with its parents) when it is missing.
 *
 * @param folderId a folder of the target mailbox to use while it exists, or null
 * @param path the folder's path, used when {@code folderId} is null or gone
 * @param view what a folder created at {@code path} holds
 */
record FolderTarget(Integer folderId, String path, String view) {

  static FolderTarget existing(Folder f) {
    return new FolderTarget(f.id(), f.path(), f.view());
  }

  static FolderTarget path(String path, String view) {
    return new FolderTarget(null, normalized(path), view);
  }

  /** The view a new folder for items of this type gets. */
  static String viewFor(ItemType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  /** A path with one leading slash and none at the end; the root is {@code /}. */
  static String normalized(String path) {
    String p = path.trim().replaceAll("/+", "/");
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
