package io.storefleet.worker.shares;

import io.storefleet.shares.ShareFix;
import io.storefleet.worker.store.Mountpoint;

/** Between the store's mountpoints and the share check's fix targets, which cannot see the store. */
final class MountTargets {
  private MountTargets() {}

  static Mountpoint mountpoint(ShareFix.Target t) {
    return new Mountpoint(t.ownerId(), t.remoteFolderId(), t.ownerName());
  }

  static ShareFix.Target target(Mountpoint m) {
    return new ShareFix.Target(m.ownerId(), m.remoteFolderId(), m.ownerName());
  }
}
