package io.storefleet.worker.imports;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * PHASE3: the mountpoints in the imported mailboxes. A mountpoint of a folder whose owner this
 * import (or an earlier one from the same source) brought here points at the owner's new id and
 * folder; any other keeps the old ids, which doFixShares translates with the import maps of the
 * server the owner went to. The store model has no data sources, so there are none to restore.
 */
final class MountpointPhase {
  private final MailStore store;
  private final ImportMap map;
  private final ImportCounters counters;
  private final ImportProgress progress;
  private final OperationContext ctx;

  MountpointPhase(MailStore store, ImportMap map, ImportCounters counters, ImportProgress progress,
      OperationContext ctx) {
    this.store = store;
    this.map = map;
    this.counters = counters;
    this.progress = progress;
    this.ctx = ctx;
  }

  void run(List<ImportTarget> targets) throws IOException {
    progress.phase("PHASE3 mountpoints", targets.size());
    for (ImportTarget t : targets) {
      ctx.checkStopped();
      for (Folder f : t.source.snapshot().folders()) {
        if (f.isMountpoint()) {
          mount(t, f);
        }
      }
      progress.advance(1, 0);
    }
  }

  private void mount(ImportTarget t, Folder f) throws IOException {
    int mapped = map.id(t.oldId(), f.id());
    if (mapped > 0 && store.folders(t.newId()).stream().anyMatch(x -> x.id() == mapped)) {
      counters.add("mountpointsExisting", 1);
      return;
    }
    Optional<Folder> there = store.folder(t.newId(), f.path());
    if (there.isPresent()) {
      map.ids(t.oldId(), new int[] {f.id()}, new int[] {there.get().id()});
      counters.add("mountpointsExisting", 1);
      return;
    }
    Mountpoint old = f.mount();
    Optional<String> owner = map.account(old.ownerId());
    int folder = owner.isPresent() ? map.id(old.ownerId(), old.remoteFolderId()) : -1;
    Mountpoint target = owner.isPresent() && folder > 0
        ? new Mountpoint(owner.get(), folder, old.ownerName())
        : old;
    try {
      Folder made = store.mount(t.newId(), f.path(), target);
      map.ids(t.oldId(), new int[] {f.id()}, new int[] {made.id()});
      counters.add("mountpointsRestored", 1);
    } catch (StorefleetException e) {
      counters.unrestored(t.name(), 0, "mountpoint " + f.path() + " of " + old.ownerName() + " not restored: "
          + e.getMessage());
    }
  }
}
