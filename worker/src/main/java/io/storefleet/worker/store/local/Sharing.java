package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.Mutation.GRANT_ADDED;
import static io.storefleet.worker.store.Mutation.GRANT_REMOVED;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grants (kept on the owner's side) and mountpoints (in the grantee's mailbox). Either side may
 * be on another server, so neither checks that the other exists here.
 */
final class Sharing {
  private final StoreContext ctx;

  Sharing(StoreContext ctx) {
    this.ctx = ctx;
  }

  Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    Owned o = ctx.mailbox(ownerId);
    Folder f = o.requireFolder(folderId);
    if (f.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception(
          o.describe(f) + " is a mountpoint of " + f.mount().ownerName() + "'s folder "
              + f.mount().remoteFolderId() + "; only its owner can share it");
    }
    if (granteeId == null || granteeId.isBlank()) {
      throw ErrorCode.BAD_VALUE.exception("a grant on " + o.describe(f) + " needs the grantee's account id");
    }
    String gid = granteeId.trim();
    if (gid.equalsIgnoreCase(o.account().id())) {
      throw ErrorCode.BAD_VALUE.exception(o.account().name() + " cannot grant rights on its own folder to itself");
    }
    String name = Names.address(granteeName);
    String r = Names.rights(rights);
    Optional<Grant> old = o.box().grant(f.id(), gid);
    if (old.isEmpty() || !old.get().rights().equals(r) || !old.get().granteeName().equals(name)) {
      ctx.commit(new Change(GRANT_ADDED, o.account().id(), f.id(), new Details.GrantAdded(f.id(), gid, name, r)));
    }
    return o.box().grant(f.id(), gid).orElseThrow();
  }

  void revoke(String ownerId, int folderId, String granteeId) {
    Owned o = ctx.mailbox(ownerId);
    Folder f = o.requireFolder(folderId);
    String gid = granteeId == null ? "" : granteeId.trim();
    if (o.box().grant(f.id(), gid).isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception(
          o.describe(f) + " has no grant to account " + gid + "; list shares with"
              + " 'storefleet admin listShares " + o.account().name() + "'");
    }
    ctx.commit(new Change(GRANT_REMOVED, o.account().id(), f.id(), new Details.GrantRemoved(f.id(), gid)));
  }

  Folder mount(String granteeId, String path, Mountpoint target) {
    Owned o = ctx.mailbox(granteeId);
    Mountpoint t = checkTarget(o, target);
    List<String> names = Names.path(path);
    if (names.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("a mountpoint needs a folder path such as /Shared/John, not /");
    }
    List<Change> changes = new ArrayList<>();
    Folder parent = FolderPlan.along(o, names.subList(0, names.size() - 1), "message", changes);
    Folder f = FolderPlan.mountpoint(o, parent, names.get(names.size() - 1), t, view(t), changes);
    ctx.commit(changes);
    return o.box().folder(f.id()).orElseThrow();
  }

  Folder repoint(String accountId, int folderId, Mountpoint target) {
    Owned o = ctx.mailbox(accountId);
    Folder f = o.requireFolder(folderId);
    if (!f.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception(o.describe(f) + " is not a mountpoint; only a mountpoint can be re-pointed");
    }
    Mountpoint t = checkTarget(o, target);
    if (!t.equals(f.mount())) {
      ctx.commit(new Change(Mutation.MOUNTPOINT_CHANGED, o.account().id(), f.id(),
          new Details.MountpointChanged(f.id(), f.mount(), t)));
    }
    return o.box().folder(f.id()).orElseThrow();
  }

  static Mountpoint checkTarget(Owned o, Mountpoint t) {
    if (t == null || t.ownerId() == null || t.ownerId().isBlank() || t.remoteFolderId() < Folder.ROOT) {
      throw ErrorCode.BAD_VALUE.exception(
          "a mountpoint in " + o.account().name() + " needs the owner's account id and folder id, got " + t);
    }
    if (t.ownerId().trim().equalsIgnoreCase(o.account().id())) {
      throw ErrorCode.BAD_VALUE.exception(o.account().name() + " cannot mount its own folder " + t.remoteFolderId());
    }
    return new Mountpoint(t.ownerId().trim(), t.remoteFolderId(), Names.address(t.ownerName()));
  }

  /** The owner folder's view when the owner lives here, else mail. */
  private String view(Mountpoint t) {
    return ctx.state().mailbox(t.ownerId()).flatMap(m -> m.folder(t.remoteFolderId())).map(Folder::view)
        .orElse("message");
  }
}
