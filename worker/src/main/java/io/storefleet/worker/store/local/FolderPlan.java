package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import java.util.List;

/**
 * Plans folder creation along a path: existing folders are reused, missing ones become changes
 * whose ids follow the mailbox's next id in order, so they replay to the same ids.
 */
final class FolderPlan {
  private FolderPlan() {}

  /** The folder at the end of {@code names}, existing or planned in {@code changes}. */
  static Folder along(Owned o, List<String> names, String view, List<Change> changes) {
    Folder current = o.box().folder(Folder.ROOT).orElseThrow();
    for (String name : names) {
      requireNotMountpoint(o, current);
      String path = Mailbox.childPath(current, name);
      Folder existing = changes.isEmpty() ? o.box().folder(path).orElse(null) : null;
      if (existing != null) {
        current = existing;
        continue;
      }
      int id = o.box().nextId() + changes.size();
      changes.add(new Change(Mutation.FOLDER_CREATED, o.account().id(), id,
          new Details.FolderCreated(id, current.id(), name, view, null)));
      current = new Folder(id, current.id(), name, path, view, null);
    }
    return current;
  }

  /** A new mountpoint named {@code name} in {@code parent}, planned in {@code changes}. */
  static Folder mountpoint(Owned o, Folder parent, String name, Mountpoint target, String view, List<Change> changes) {
    requireNotMountpoint(o, parent);
    String path = Mailbox.childPath(parent, name);
    if (changes.isEmpty() && o.box().folder(path).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception(
          o.describe(o.box().folder(path).get()) + " already exists; choose another path for the mountpoint");
    }
    int id = o.box().nextId() + changes.size();
    changes.add(new Change(Mutation.MOUNTPOINT_CREATED, o.account().id(), id,
        new Details.FolderCreated(id, parent.id(), name, view, target)));
    return new Folder(id, parent.id(), name, path, view, target);
  }

  private static void requireNotMountpoint(Owned o, Folder f) {
    if (f.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception(
          o.describe(f) + " is a mountpoint; folders cannot be created inside it, create them in the"
              + " owner's mailbox");
    }
  }
}
